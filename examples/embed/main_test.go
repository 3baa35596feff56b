package main

import (
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestTicketsStreamsEveryRow(t *testing.T) {
	rs := query("workplace", time.UTC).(*memoryRows)
	var err error
	n := 0
	for tk := range tickets(rs, &err) {
		require.Equal(t, rs.table[n].Number, tk.ID)
		require.Contains(t, []string{"P1", "P2"}, tk.Priority)
		n++
	}
	require.NoError(t, err)
	require.Equal(t, len(rs.table), n)
}

func TestToTicketMapsTheOnHoldSpan(t *testing.T) {
	at := time.Date(2027, 4, 6, 9, 0, 0, 0, time.UTC)
	tk := toTicket(incidentRow{Number: "X", Severity: 1, OpenedAt: at,
		OnHoldFrom: sql.NullTime{Time: at.Add(time.Hour), Valid: true}, OnHoldTo: sql.NullTime{Time: at.Add(2 * time.Hour), Valid: true}})
	require.Len(t, tk.Pauses, 1)
	require.True(t, tk.Resolved.IsZero(), "not restored: still open")
}

type failingRows struct{ memoryRows }

func (f *failingRows) Scan(...any) error { return errors.New("connection lost") }

func TestTicketsKeepsTheScanError(t *testing.T) {
	rs := &failingRows{memoryRows{table: []incidentRow{{}}, at: -1}}
	var err error
	for range tickets(rs, &err) {
		t.Fatal("no ticket from a failing scan")
	}
	require.EqualError(t, err, "connection lost")
}
