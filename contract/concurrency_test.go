package contract

import (
	"sync"
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/dsl"
)

// TestConcurrentUse uses one contract from several goroutines: run with
// -race. A contract is immutable, and its compiled expressions and
// calendars are shared.
func TestConcurrentUse(t *testing.T) {
	c, paris := loadAcme(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			month := c.PeriodOf(Month, time.Date(2028, time.Month(1+g), 1, 0, 0, 0, 0, paris))
			inv, err := c.Invoice(month, acmeVolumes(), syntec)
			if err != nil || !inv.Total.Equal(dec("81948.40")) {
				t.Errorf("goroutine %d: invoice %s, %v", g, inv.Total, err)
			}
			scope := Program[dsl.Ticket](mustRule(t, c, "INC-P1").Scope)
			he, _ := c.Calendar("HE")
			for i := range 200 {
				ok, err := dsl.EvalAs[bool](scope, &dsl.Ticket{Ticket: &pacte.Ticket{Kind: "incident", Priority: []string{"P1", "P2"}[i%2]}})
				if err != nil || ok != (i%2 == 0) {
					t.Errorf("goroutine %d: scope %v, %v", g, ok, err)
					return
				}
				from := time.Date(2027+i%3, 3, 1, 0, 0, 0, 0, paris)
				if got := he.Between(from, from.AddDate(0, 0, 7)); got <= 0 {
					t.Errorf("goroutine %d: HE open %s in a week", g, got)
				}
			}
			_ = c.Rules()
			_ = c.Pipeline()
		})
	}
	wg.Wait()
}
