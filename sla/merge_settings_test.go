package sla_test

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/stretchr/testify/require"
)

// TestMergeRefusesOtherSettings: evaluators of one contract with another
// report range, extraction instant or listing limit are not parts of one
// evaluation; Merge refuses them. The
// sources given differ between parts by design, and merge.
func TestMergeRefusesOtherSettings(t *testing.T) {
	c, err := contract.Load("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	may := time.Date(2027, 5, 1, 0, 0, 0, 0, paris)
	june := may.AddDate(0, 1, 0)
	base := []sla.Option{sla.Between(may, june), sla.AsOf(june), sla.ListMissed(10)}
	for _, tc := range []struct {
		name  string
		other []sla.Option
		err   string // "" when the merge is accepted
	}{
		{"same settings, other sources", append(base[:3:3], sla.Given(contract.Calls)), ""},
		{"no range", []sla.Option{sla.AsOf(june), sla.ListMissed(10)},
			"the report range is [2027-05-01T00:00:00+02:00, 2027-06-01T00:00:00+02:00) in the evaluator merged into, [none, none) in the one merged"},
		{"another range", []sla.Option{sla.Between(may, june.AddDate(0, 1, 0)), sla.AsOf(june), sla.ListMissed(10)},
			"the report range is [2027-05-01T00:00:00+02:00, 2027-06-01T00:00:00+02:00) in the evaluator merged into, [2027-05-01T00:00:00+02:00, 2027-07-01T00:00:00+02:00) in the one merged"},
		{"another extraction instant", []sla.Option{sla.Between(may, june), sla.AsOf(june.Add(time.Hour)), sla.ListMissed(10)},
			"the extraction instant is 2027-06-01T00:00:00+02:00 in the evaluator merged into, 2027-06-01T01:00:00+02:00 in the one merged"},
		{"no listing limit", []sla.Option{sla.Between(may, june), sla.AsOf(june)},
			"the listing limit of missed items is 10 in the evaluator merged into, none in the one merged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := sla.NewEvaluator(c, base...)
			require.NoError(t, err)
			other, err := sla.NewEvaluator(c, tc.other...)
			require.NoError(t, err)
			err = ev.Merge(other)
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sla.ErrOtherSettings)
			require.EqualError(t, err, "sla: cannot merge evaluators with other settings: "+tc.err)
		})
	}
}
