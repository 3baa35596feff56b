package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestPricesTheQuarter(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, "../scenarios/quarter.yaml", decimal.RequireFromString("0.2")))
	for _, s := range []string{"Penalties and margin, EUR, ", "year 1", "term", "Precision: 95 % confidence intervals",
		"Price: the fixed fee of FORFAIT-APP at which the margin over the span reaches 20.0 % of the invoice", "the term's net P90 known to ±", "expected (mean)"} {
		require.Contains(t, out.String(), s)
	}
}
