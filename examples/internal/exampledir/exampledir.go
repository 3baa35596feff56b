// Package exampledir finds the files the examples read (the reference
// contract, its clause tests, scenarios and data) from the repository's
// root, where the README runs the examples, or next to this source file,
// wherever the command is run from.
package exampledir

import (
	"os"
	"path/filepath"
	"runtime"
)

// Dir returns the examples folder: relative to the working directory when
// it is there, else the one that holds this source file's package.
func Dir() string {
	if _, err := os.Stat(filepath.Join("examples", "contracts")); err == nil {
		return "examples"
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		return filepath.Join(filepath.Dir(file), "..", "..")
	}
	return "examples"
}

// Path returns the path of a file of the examples folder, rel being
// relative to it ("contracts/acme.yaml").
func Path(rel string) string { return filepath.Join(Dir(), filepath.FromSlash(rel)) }
