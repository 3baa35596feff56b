package records

import (
	"testing"

	"github.com/pacte-sla/pacte"
	"github.com/stretchr/testify/require"
)

func TestID(t *testing.T) {
	for _, tc := range []struct {
		rec  any
		want string
	}{
		{&pacte.Ticket{ID: "INC-1"}, "INC-1"},
		{&pacte.Call{ID: "C-1"}, "C-1"},
		{&pacte.Outage{ID: "O-1"}, "O-1"},
		{&pacte.Sample{ID: "S-1"}, "S-1"},
		{pacte.Ticket{ID: "INC-1"}, ""}, // not a pointer
		{nil, ""},
	} {
		require.Equal(t, tc.want, ID(tc.rec), "%T", tc.rec)
	}
}
