package adjust_test

import (
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/internal/golden"
	"github.com/pacte-sla/pacte/sla/adjust"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden .err files of testdata")

func files(t testing.TB, kind string) []string {
	t.Helper()
	var out []string
	for _, ext := range []string{"yaml", "csv"} {
		m, err := filepath.Glob("testdata/*." + kind + "." + ext)
		require.NoError(t, err)
		out = append(out, m...)
	}
	slices.Sort(out)
	return out
}

// Every broken file gives every error it has, placed, with its snippet
// and hint: the whole message is compared with its golden file.
func TestBadFiles(t *testing.T) {
	bad := files(t, "bad")
	require.GreaterOrEqual(t, len(bad), 4)
	for _, path := range bad {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s, err := adjust.Load(path)
			require.Error(t, err)
			require.Nil(t, s)
			golden.Check(t, path+".err", []byte(err.Error()+"\n"), *update)
		})
	}
}

// The YAML and the CSV forms of the same decisions read alike.
func TestGoodFiles(t *testing.T) {
	y, err := adjust.Load("testdata/may.good.yaml")
	require.NoError(t, err)
	c, err := adjust.Load("testdata/may.good.csv")
	require.NoError(t, err)
	ya, ca := y.Adjustments(), c.Adjustments()
	require.Len(t, ya, 3)
	require.Equal(t, adjust.Adjustment{Item: "INC-P2", Source: contract.Tickets, Decision: adjust.Reclassify,
		Changes: []adjust.Change{{Field: "priority", Value: "P2"}}, Reason: "a single user was affected, not a service",
		AgreedBy: "COPIL (Ville de Lyon, the ESN)", Date: "2027-06-04", Line: 8}, ya[1])
	require.Equal(t, contract.Outages, ya[2].Source)
	require.Equal(t, "reclassify planned=true", ya[2].DecisionText())
	for i := range ca {
		ca[i].Line, ya[i].Line = 0, 0
		require.Equal(t, ya[i], ca[i])
	}
	require.Equal(t, "exclude: power cut on the client's site (agreed by COPIL (Ville de Lyon, the ESN), 2027-06-04)", ya[0].Note())
}

// Errors are values: errors.Is finds the kind of each.
func TestErrorKinds(t *testing.T) {
	for _, c := range []struct {
		src  string
		want error
	}{
		{"adjustments:\n  - {item: A, decision: exclude, reason: r, agreed_by: x, date: 2027-01-01, note: n}\n", adjust.ErrSchema},
		{"adjustments:\n  - {item: A, decision: void, reason: r, agreed_by: x, date: 2027-01-01}\n", adjust.ErrInvalid},
		{"adjustments:\n  - {item: A, decision: exclude, reason: r, agreed_by: x, date: 2027-01-01}\n  - {item: A, decision: exclude, reason: r, agreed_by: x, date: 2027-01-01}\n", adjust.ErrDuplicate},
		{"", adjust.ErrSchema},
		{"adjustments: 3\n", adjust.ErrSchema},
	} {
		_, err := adjust.Parse([]byte(c.src), "a.yaml")
		require.ErrorIs(t, err, c.want, c.src)
		var e *adjust.Error
		require.True(t, errors.As(err, &e), c.src)
		require.Positive(t, e.Line)
	}
	s, err := adjust.Parse([]byte("adjustments:\n"), "none.yaml")
	require.NoError(t, err, "a month without adjustments")
	require.Empty(t, s.Adjustments())
	_, err = adjust.Parse([]byte(strings.Repeat("x", adjust.MaxFileSize+1)), "big.yaml")
	require.ErrorIs(t, err, adjust.ErrInvalid)
}

// A YAML alias repeats an adjustment without repeating its text: each
// repetition is the same fault at the same place, reported once (99,000
// aliases, a file of 700 KB, gave 25 MB of the same error).
func TestAliasedFaultReportedOnce(t *testing.T) {
	src := "adjustments:\n  - &a {item: I1, source: tickets, decision: exclude, reason: r, agreed_by: C, date: 2027-06-04}\n" +
		strings.Repeat("  - *a\n", 99_000)
	_, err := adjust.Parse([]byte(src), "a.yaml")
	var list adjust.ErrorList
	require.True(t, errors.As(err, &list), "%.300v", err)
	require.Equal(t, 1, len(list), "errors")
	require.ErrorIs(t, err, adjust.ErrDuplicate)
	require.Equal(t, "a.yaml:2:15: ticket I1 is adjusted twice", strings.SplitN(list[0].Error(), "\n", 2)[0])
}
