package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1 // the command ran and found a problem
	exitUsage       = 2 // a usage error, or an input that cannot be read
	exitInterrupted = 130
)

// command is a subcommand of pacte.
type command struct {
	name    string
	summary string // one line, for "pacte help"
	// usage is the synopsis line, then a description and examples; the
	// flags are listed after it.
	usage string
	// flags declares the command's flags, and returns the function that
	// runs it with its positional arguments.
	flags func(fs *flag.FlagSet, e *env) func(ctx context.Context, args []string) error
}

// commands are pacte's subcommands, in the order "pacte help" lists them.
func commands() []*command {
	return []*command{checkCommand, evalCommand, mergeCommand, testCommand, timersCommand, watchCommand, simulateCommand, calendarCommand, verifyCommand, versionCommand}
}

func lookup(name string) *command {
	i := slices.IndexFunc(commands(), func(c *command) bool { return c.name == name })
	if i < 0 {
		return nil
	}
	return commands()[i]
}

// env is what a command writes to.
type env struct {
	stdout, stderr io.Writer
	// stderrTerminal says whether standard error is a terminal, where
	// progress is shown by default.
	stderrTerminal bool
}

func newEnv(stdout, stderr io.Writer) *env {
	e := &env{stdout: stdout, stderr: stderr}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			e.stderrTerminal = true
		}
	}
	return e
}

// usageError is a mistake in the command line: exit status 2, with a
// pointer to the usage.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// inputError is an input that cannot be read at all: exit status 2.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

// errFailed is a run that found a problem it has already reported (records
// rejected, a failing test): exit status 1.
var errFailed = errors.New("failed")

const overview = `pacte checks, evaluates, tests and simulates outsourcing contracts.

Usage:

	pacte <command> [arguments]

The commands are:

%s
Use "pacte help <command>" for more about a command.

Exit status: 0 ok; 1 records rejected, tests failed or errors found;
2 usage error or unreadable input; 130 interrupted.
`

func printOverview(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "\t%-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, overview, b.String())
}

// run runs pacte with its arguments and returns the exit status.
func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		printOverview(e.stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return help(rest, e)
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(e.stderr, "pacte: unknown command %q\nRun 'pacte help' for the commands.\n", name)
		return exitUsage
	}
	return c.run(ctx, rest, e)
}

func help(args []string, e *env) int {
	switch {
	case len(args) == 0:
		printOverview(e.stdout)
		return exitOK
	case len(args) > 1:
		fmt.Fprintln(e.stderr, "usage: pacte help <command>")
		return exitUsage
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(e.stderr, "pacte help: unknown command %q\nRun 'pacte help' for the commands.\n", args[0])
		return exitUsage
	}
	c.printUsage(e.stdout, e)
	return exitOK
}

func (c *command) flagSet(e *env) (*flag.FlagSet, func(ctx context.Context, args []string) error) {
	fs := flag.NewFlagSet("pacte "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs, c.flags(fs, e)
}

func (c *command) printUsage(w io.Writer, e *env) {
	fs, _ := c.flagSet(e)
	fmt.Fprintf(w, "usage: %s\n", strings.TrimSpace(c.usage))
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// run parses the command's flags, runs it and maps what it returns to an
// exit status, printing the error.
func (c *command) run(ctx context.Context, args []string, e *env) int {
	fs, runner := c.flagSet(e)
	pos, err := parseInterspersed(fs, args)
	if err == nil {
		err = runner(ctx, pos)
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		c.printUsage(e.stdout, e)
		return exitOK
	case ctx.Err() != nil:
		fmt.Fprintf(e.stderr, "pacte %s: interrupted\n", c.name)
		return exitInterrupted
	case errors.Is(err, errFailed):
		return exitFailed
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "pacte %s: %v\nRun 'pacte help %s' for usage.\n", c.name, err, c.name)
		return exitUsage
	}
	// An input that cannot be read, or any other error: each error of a
	// list on its own lines, as the loaders place them. The list is the
	// error itself, not one found deeper in its chain, whose wrappers say
	// where it comes from (a reader's error names its file and line).
	inner := err
	for ie, ok := inner.(inputError); ok; ie, ok = inner.(inputError) {
		inner = ie.error
	}
	if list, ok := inner.(interface{ Unwrap() []error }); ok && len(list.Unwrap()) > 1 {
		fmt.Fprintf(e.stderr, "pacte %s:\n", c.name)
		printErrors(e.stderr, err)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "pacte %s: %v\n", c.name, err)
	return exitUsage
}

// parseInterspersed parses flags wherever they are among the positional
// arguments ("pacte test acme_test.yaml -v"), as far as "--".
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if !errors.Is(err, flag.ErrHelp) {
				err = usageError{err}
			}
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}
