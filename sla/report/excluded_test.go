package report_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
	"github.com/stretchr/testify/require"
)

// excludedReport is the fixture with March's INC-P2 given more excluded
// items, one of them agreed, than Options.MaxMissed lists.
func excludedReport(t *testing.T) *sla.Report {
	t.Helper()
	rep := copyReport(t)
	for pi := range rep.Periods {
		for ri := range rep.Periods[pi].Rules {
			rr := &rep.Periods[pi].Rules[ri]
			if rep.Periods[pi].Period != "2027-03" || rr.ID != "INC-P2" {
				continue
			}
			at := rr.ExcludedItems[0].At
			for i := range 3 {
				rr.ExcludedItems = append(rr.ExcludedItems, sla.ExcludedItem{ID: fmt.Sprintf("P2-X%d", i), At: at.Add(time.Duration(i+1) * time.Hour), Reason: "caused by the client"})
			}
			rr.ExcludedItems = append(rr.ExcludedItems, sla.ExcludedItem{ID: "P2-AGREED", At: at.Add(5 * time.Hour), Reason: "agreed: site closed",
				Adjustment: "exclude: site closed (agreed by COPIL, 2027-04-02)"})
			rr.Excluded = map[string]int{"caused by the client": 4, "agreed: site closed": 1}
			rr.ExcludedListed = len(rr.ExcludedItems)
			return rep
		}
	}
	t.Fatal("no INC-P2 in 2027-03")
	return nil
}

// TestExcludedItemsInEveryFormat: the excluded items are listed with their
// reason where the missed items are, an agreed one marked with what was
// agreed; MaxMissed bounds them and says how many are left out; HideMissed
// hides them; the JSON names them.
func TestExcludedItemsInEveryFormat(t *testing.T) {
	rep := excludedReport(t)
	for _, tc := range []struct {
		name    string
		render  renderer
		opts    report.Options
		want    []string
		notWant []string
	}{
		{"text", report.Text, report.Options{}, []string{"Excluded items", "P2-X2", "caused by the client", "P2-AGREED (adjusted)",
			"P2-AGREED: exclude: site closed (agreed by COPIL, 2027-04-02)", "agreed: site closed"}, []string{"excluded items listed"}},
		{"text limited", report.Text, report.Options{MaxMissed: 2}, []string{"Excluded items", "P2-X0", "INC-P2: 2 of 5 excluded items listed"},
			[]string{"P2-X1", "P2-AGREED"}},
		{"text hidden", report.Text, report.Options{HideMissed: true}, []string{"Excluded: "}, []string{"Excluded items", "P2-X0"}},
		{"text fr", report.Text, report.Options{Locale: "fr", MaxMissed: 2}, []string{"Éléments exclus", "motif", "INC-P2\u00a0: 2 éléments exclus listés sur 5",
			"abandons courts"}, nil},
		{"markdown", report.Markdown, report.Options{}, []string{"### Excluded items", "| INC-P2 | P2-AGREED (adjusted) |"}, nil},
		{"html", report.HTML, report.Options{Locale: "fr"}, []string{"<h3>Éléments exclus</h3>", "P2-AGREED (ajusté)", "agreed: site closed"}, nil},
		{"json", report.JSON, report.Options{}, []string{`"excluded_items": [`, `"id": "P2-AGREED"`, `"reason": "agreed: site closed"`,
			`"adjustment": "exclude: site closed (agreed by COPIL, 2027-04-02)"`, `"excluded_listed": 5`}, nil},
	} {
		var buf bytes.Buffer
		require.NoError(t, tc.render(&buf, rep, tc.opts), tc.name)
		for _, w := range tc.want {
			require.Contains(t, buf.String(), w, tc.name)
		}
		for _, w := range tc.notWant {
			require.NotContains(t, buf.String(), w, tc.name)
		}
	}
}

// TestExcludedItemsNotListed: a rule whose exclusions the engine did not
// list (ListMissed(0)) says how many are left out, without a table; short
// abandons, never listed, are not among them.
func TestExcludedItemsNotListed(t *testing.T) {
	rep := excludedReport(t)
	for pi := range rep.Periods {
		for ri := range rep.Periods[pi].Rules {
			rr := &rep.Periods[pi].Rules[ri]
			rr.ExcludedItems, rr.ExcludedListed = nil, 0
		}
	}
	var buf bytes.Buffer
	require.NoError(t, report.Markdown(&buf, rep, report.Options{}))
	out := buf.String()
	require.Contains(t, out, "INC-P2: 0 of 5 excluded items listed; ACK: 0 of 1 excluded items listed; REOPEN: 0 of 1 excluded items listed.")
	require.Contains(t, out, "AVAIL-ERP: 0 of 1 excluded items listed.")
	require.NotContains(t, out, "TEL-ANSWER: 0 of", "short abandons are not listed")
	require.NotContains(t, out, "| rule | item | at | reason |")
}
