package dsl

import (
	"strings"
	"time"

	"github.com/pacte-sla/pacte/internal/civil"
)

// civilFunctions are the functions of civil dates, read in the contract's
// zone: the day of an instant, the day of the week, and the days between
// two dates in the three units of French contracts.
func civilFunctions() []funcDef {
	days := func(week civil.Week) func(c *config, a []any) (any, error) {
		return func(c *config, a []any) (any, error) {
			var key string
			switch len(a) {
			case 2:
			case 3:
				key = a[2].(string)
			default:
				codes := make([]string, len(a)-2)
				for i, v := range a[2:] {
					codes[i] = v.(string)
				}
				key = strings.Join(codes, "|")
			}
			return civil.Between(a[0].(time.Time), a[1].(time.Time), c.location(), week, c.holidays[key])
		}
	}
	return []funcDef{
		{name: "date_of", zone: true, doc: "date_of(t): the day of t, as the instant at midnight that starts it in the contract's zone",
			types: []any{new(func(time.Time) time.Time)},
			impl: func(c *config, a []any) (any, error) {
				t := a[0].(time.Time)
				if t.IsZero() {
					return t, nil
				}
				return civil.Date(t, c.location()), nil
			}},
		{name: "day_of_week", zone: true, doc: "day_of_week(t): the day of the week of t in the contract's zone, 1 for Monday to 7 for Sunday",
			types: []any{new(func(time.Time) int)},
			impl:  func(c *config, a []any) (any, error) { return civil.Weekday(a[0].(time.Time), c.location()), nil }},
		{name: "days_between", zone: true, doc: "days_between(a, b): calendar days after the day of a up to and including the day of b",
			types: []any{new(func(time.Time, time.Time) int)},
			impl:  days(civil.AllDays)},
		{name: "jours_ouvres_between", zone: true, holidays: true,
			doc:   `jours_ouvres_between(a, b, "FR"): days Monday to Friday, less the holidays named, after the day of a up to and including the day of b`,
			types: []any{new(func(time.Time, time.Time, ...string) int)},
			impl:  days(civil.MondayFriday)},
		{name: "jours_ouvrables_between", zone: true, holidays: true,
			doc:   `jours_ouvrables_between(a, b, "FR"): days Monday to Saturday, less the holidays named, after the day of a up to and including the day of b`,
			types: []any{new(func(time.Time, time.Time, ...string) int)},
			impl:  days(civil.MondaySat)},
	}
}
