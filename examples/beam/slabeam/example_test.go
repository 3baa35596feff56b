package slabeam_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/pacte-sla/pacte/examples/beam/slabeam"
)

// The reference data, its four exports each a shard, evaluated on the
// runner of the tests (Prism, in process); beamx.Run takes the -runner
// flag's.
func ExampleEvaluate() {
	const data = "../../../sla/testdata/h1-2027/"
	acme, err := os.ReadFile("../../../examples/contracts/acme.yaml")
	if err != nil {
		panic(err)
	}
	volumes, err := os.ReadFile(data + "volumes.json")
	if err != nil {
		panic(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	p, s := beam.NewPipelineWithRoot()
	docs, err := slabeam.Evaluate(s, slabeam.Evaluation{
		Contract: acme, ContractName: "acme.yaml", Volumes: volumes,
		Tickets: data + "tickets*.jsonl", Calls: data + "calls*.jsonl",
		Outages: data + "outages*.jsonl", Samples: data + "samples*.jsonl",
		AsOf: time.Date(2027, 7, 1, 0, 0, 0, 0, paris),
	})
	if err != nil {
		panic(err)
	}
	out, err := os.MkdirTemp("", "pacte-beam")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(out)
	if err := slabeam.WriteDocuments(s, out, docs); err != nil {
		panic(err)
	}
	if err := ptest.Run(p); err != nil {
		panic(err)
	}
	names, _ := filepath.Glob(filepath.Join(out, "*"))
	for _, name := range names {
		fmt.Println(filepath.Base(name))
	}
	// The report's locale is the contract's, French: a narrow no-break
	// space between thousands, a no-break space before €.
	text, _ := os.ReadFile(filepath.Join(out, "report.txt"))
	for line := range strings.Lines(string(text)) {
		if strings.HasPrefix(line, "Net dû") {
			fmt.Print(line)
		}
	}
	// Output:
	// report.csv
	// report.html
	// report.json
	// report.md
	// report.txt
	// Net dû  11 678,65 €
}
