// Command funclen lists the library functions of a module that are longer
// than a limit, longest first, and exits with status 1 when there is one.
// Library code is every .go file but tests, examples and testdata: the
// house keeps no function over 100 lines there, and CI runs this check.
//
//	go run ./internal/cmd/funclen [-max 100] [dir]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	max := flag.Int("max", 100, "the longest a function may be, in lines")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: funclen [-max N] [dir]")
		flag.PrintDefaults()
	}
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	os.Exit(run(os.Stdout, root, *max))
}

// run prints the report and returns the exit status.
func run(w io.Writer, root string, max int) int {
	long, total, err := scan(root, max)
	if err != nil {
		fmt.Fprintln(os.Stderr, "funclen:", err)
		return 2
	}
	for _, f := range long {
		fmt.Fprintf(w, "%5d %s:%d %s\n", f.Lines, f.File, f.Line, f.Name)
	}
	fmt.Fprintf(w, "%d of %d library functions over %d lines\n", len(long), total, max)
	if len(long) > 0 {
		return 1
	}
	return 0
}
