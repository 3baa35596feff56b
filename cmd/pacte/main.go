// Command pacte checks, evaluates, tests and simulates outsourcing
// contracts written for the pacte library.
//
//	go install github.com/pacte-sla/pacte/cmd/pacte@latest
//
// Usage:
//
//	pacte <command> [arguments]
//
// The commands:
//
//	check     load and lint contracts, clause tests, scenarios and mappings
//	eval      evaluate a contract over exported records, into a report
//	merge     merge the states pacte eval -state-out wrote into one report
//	test      run the clause tests of a contract
//	simulate  draw many runs of a contract's term against a workload scenario
//	calendar  open time between two instants, or the deadline from one
//	verify    make a JSON report again from its inputs and compare
//	version   print pacte's version
//
// "pacte help <command>" (or "pacte <command> -h") prints a command's usage,
// with examples that run as written from the root of pacte's repository.
//
// Exit status: 0 when all went well; 1 when the command ran and found a
// problem (records rejected, a clause test failed, a file with errors);
// 2 on a usage error or an input that cannot be read at all, in which case
// nothing is written; 130 when interrupted. Flags are checked before any
// work starts, and a report is written to -o only when the run succeeds.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], newEnv(os.Stdout, os.Stderr))
	stop()
	os.Exit(code)
}
