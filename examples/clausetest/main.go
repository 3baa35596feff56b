// Command clausetest shows how a contract author checks the clauses of a
// contract before the parties sign: it runs the clause tests of the
// reference contract (examples/contracts/acme_test.yaml), each a few
// records and the figures the contract must give for them, and prints
// what passed and what failed. clause_test.go writes one clause's test in
// Go instead; `go test ./examples/clausetest` runs both.
//
//	go run ./examples/clausetest
//
// The command-line tool runs the same files: go run ./cmd/pacte test
// examples/contracts/acme_test.yaml.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/pacte-sla/pacte/examples/internal/exampledir"
	"github.com/pacte-sla/pacte/sla/slatest"
)

func main() {
	failed, err := run(exampledir.Path("contracts/acme_test.yaml"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if failed > 0 {
		os.Exit(1)
	}
}

// run runs the cases of a clause test file and returns how many failed.
func run(path string) (int, error) {
	suite, err := slatest.Load(path) // the contract it names is loaded too
	if err != nil {
		return 0, err
	}
	failed := 0
	for _, res := range suite.Run(context.Background()) {
		if res.Err != nil {
			return failed, res.Err
		}
		if res.Passed() {
			fmt.Printf("PASS  %s\n", res.Case.Name)
			continue
		}
		failed++
		fmt.Printf("FAIL  %s\n", res.Case.Name)
		for _, f := range res.Failures {
			fmt.Printf("      %s\n", f.Error())
		}
	}
	fmt.Printf("%d cases of %q, %d failed\n", len(suite.Cases), suite.Contract.Name(), failed)
	return failed, nil
}
