package report

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/contract"
)

// TestFrenchHasEveryText: every text the renderers pass to tr or trf, or
// through a table header's currency suffix (cur), has its French, with
// the same verbs in the same order; so do the steps of the pipeline and
// the measures, which are named from the contract's constants.
func TestFrenchHasEveryText(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`\b(?:tr|trf|cur)\(\s*"((?:[^"\\]|\\.)*)"`)
	var texts []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			texts = append(texts, m[1])
		}
	}
	if len(texts) < 100 {
		t.Fatalf("found %d texts: the pattern no longer matches the sources", len(texts))
	}
	for _, s := range contract.DefaultOrder {
		texts = append(texts, strings.ReplaceAll(string(s), "_", " "))
	}
	for _, m := range []contract.MeasureKind{contract.MeasureShare, contract.MeasureCount, contract.MeasureMet, contract.MeasureMissed,
		contract.MeasureMean, contract.MeasureMedian, contract.MeasurePercentile, contract.MeasureSum, contract.MeasureMin, contract.MeasureMax,
		contract.MeasureAvailability, contract.MeasureAnswerRate, contract.MeasureAbandonRate, contract.MeasureServiceLevel,
		contract.MeasureASA, contract.MeasureFCR} {
		if _, ok := contract.MeasureOf(m); !ok {
			t.Errorf("%s is no measure", m)
		}
		texts = append(texts, strings.ReplaceAll(string(m), "_", " "))
	}
	texts = append(texts, "SLA report")
	verb := regexp.MustCompile(`%[a-z]`)
	for _, en := range texts {
		fr, ok := french[en]
		if !ok {
			t.Errorf("no French for %q", en)
			continue
		}
		if !slices.Equal(verb.FindAllString(en, -1), verb.FindAllString(fr, -1)) {
			t.Errorf("%q and its French %q differ in their verbs", en, fr)
		}
	}
}
