// Command embed shows how an outsourcer's own tool feeds pacte: it maps
// its ticket rows to pacte.Ticket and streams them from its database, in
// two shards evaluated in parallel and merged, then prints the P1 and P2
// compliance of each month.
//
// The tool's rows come through the small rows interface below, which
// *sql.Rows satisfies; so that the example runs without a database, a
// table in memory stands in for it.
//
//	go run ./examples/embed
package main

import (
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"os"
	"sync"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

// rows is what the example needs of *sql.Rows.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// incidentRow is a row of the tool's incident table: its own names, its
// own severity scale (1 is the most severe), its on-hold columns.
type incidentRow struct {
	Number     string
	Severity   int
	Team       string
	OpenedAt   time.Time
	RestoredAt sql.NullTime
	OnHoldFrom sql.NullTime // the tool records one on-hold span per incident
	OnHoldTo   sql.NullTime
}

// toTicket maps a row to pacte's record. The severity scale and the
// on-hold span are the tool's; pacte's rules read P1, P2 and pauses.
func toTicket(r incidentRow) pacte.Ticket {
	t := pacte.Ticket{
		ID:       r.Number,
		Kind:     "incident",
		Priority: fmt.Sprintf("P%d", r.Severity),
		Group:    r.Team,
		Opened:   r.OpenedAt,
	}
	if r.RestoredAt.Valid {
		t.Resolved = r.RestoredAt.Time
	}
	if r.OnHoldFrom.Valid {
		t.Pauses = []pacte.Interval{{Start: r.OnHoldFrom.Time, End: r.OnHoldTo.Time}}
	}
	return t
}

// tickets streams the rows as tickets: one row in memory at a time. A
// scan error ends the stream and is kept in *errp.
func tickets(rs rows, errp *error) iter.Seq[pacte.Ticket] {
	return func(yield func(pacte.Ticket) bool) {
		for rs.Next() {
			var r incidentRow
			if err := rs.Scan(&r.Number, &r.Severity, &r.Team, &r.OpenedAt, &r.RestoredAt, &r.OnHoldFrom, &r.OnHoldTo); err != nil {
				*errp = err
				return
			}
			if !yield(toTicket(r)) {
				return
			}
		}
		*errp = rs.Err()
	}
}

func main() {
	c, err := contract.Load("examples/contracts/acme.yaml")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	asOf := time.Date(2027, time.July, 1, 0, 0, 0, 0, c.Location())

	// One evaluator per shard, here per team, each fed by its own query.
	teams := []string{"workplace", "datacenter"}
	evs := make([]*sla.Evaluator, len(teams))
	errs := make([]error, len(teams))
	var wg sync.WaitGroup
	for i, team := range teams {
		evs[i], err = sla.NewEvaluator(c, sla.AsOf(asOf))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		wg.Go(func() {
			var scanErr error
			for t := range tickets(query(team, c.Location()), &scanErr) {
				evs[i].AddTicket(&t)
			}
			errs[i] = scanErr
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, ev := range evs[1:] {
		if err := evs[0].Merge(ev); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	rep, err := evs[0].Report(nil, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	fmt.Printf("%-8s %-7s %8s %6s %9s %-10s %9s\n", "month", "rule", "eligible", "met", "achieved", "status", "penalty")
	for _, p := range rep.Periods {
		for _, r := range p.Rules {
			if r.ID != "INC-P1" && r.ID != "INC-P2" {
				continue
			}
			achieved := "-"
			if r.Achieved != nil {
				achieved = r.Achieved.Decimal.Shift(2).StringFixed(1) + " %"
			}
			fmt.Printf("%-8s %-7s %8d %6d %9s %-10s %9s\n", p.Period, r.ID, r.Eligible, r.Met, achieved, r.Status, r.Penalty.StringFixed(2))
		}
	}
	tc := rep.Records["tickets"]
	fmt.Printf("\ntickets read %d: counted %d, excluded %d, rejected %d\n", tc.Read, tc.Counted, tc.Excluded, tc.Rejected)
}

// query stands in for db.Query("SELECT … FROM incidents WHERE team = ?").
func query(team string, loc *time.Location) rows {
	var table []incidentRow
	day := time.Date(2027, time.April, 1, 9, 0, 0, 0, loc)
	for i := range 90 {
		opened := day.AddDate(0, 0, i).Add(time.Duration(i%5) * time.Hour)
		if opened.Weekday() == time.Sunday {
			continue
		}
		restore := time.Duration(1+i%6) * time.Hour
		if team == "datacenter" {
			restore += time.Duration(i%3) * 2 * time.Hour
		}
		r := incidentRow{Number: fmt.Sprintf("%s-%03d", team[:2], i), Severity: 1 + i%2, Team: team, OpenedAt: opened,
			RestoredAt: sql.NullTime{Time: opened.Add(restore), Valid: i%29 != 0}}
		if i%7 == 0 {
			r.OnHoldFrom = sql.NullTime{Time: opened.Add(30 * time.Minute), Valid: true}
			r.OnHoldTo = sql.NullTime{Time: opened.Add(90 * time.Minute), Valid: true}
		}
		table = append(table, r)
	}
	return &memoryRows{table: table, at: -1}
}

// memoryRows is a table in memory behind the rows interface.
type memoryRows struct {
	table []incidentRow
	at    int
}

func (m *memoryRows) Next() bool { m.at++; return m.at < len(m.table) }
func (m *memoryRows) Err() error { return nil }

func (m *memoryRows) Scan(dest ...any) error {
	if len(dest) != 7 {
		return fmt.Errorf("scan: %d destinations for 7 columns", len(dest))
	}
	r := m.table[m.at]
	*dest[0].(*string), *dest[1].(*int), *dest[2].(*string) = r.Number, r.Severity, r.Team
	*dest[3].(*time.Time), *dest[4].(*sql.NullTime) = r.OpenedAt, r.RestoredAt
	*dest[5].(*sql.NullTime), *dest[6].(*sql.NullTime) = r.OnHoldFrom, r.OnHoldTo
	return nil
}
