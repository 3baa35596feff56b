package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

var versionCommand = &command{
	name:    "version",
	summary: "print pacte's version",
	usage: `pacte version

Version prints the version of the pacte module the command was built from
("(devel)" for a build from a working copy) and of Go.

Examples:

  pacte version
`,
	flags: func(fs *flag.FlagSet, e *env) func(context.Context, []string) error {
		return func(ctx context.Context, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected argument %q", args[0])
			}
			fmt.Fprintf(e.stdout, "pacte %s (%s)\n", version(), runtime.Version())
			return nil
		}
	},
}

// version is the version of the module the command was built from.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
