package sla

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// RiskOptions are the provider's operating settings for live control:
// not clauses of the contract, but how closely the provider watches it.
// They come from an options file or flags, never from the signed
// contract file.
type RiskOptions struct {
	// Thresholds are the shares of the allowance at which a running timer
	// raises an alert, in increasing order (0.5, 0.75, 0.9 by default).
	Thresholds []decimal.Decimal `json:"thresholds" yaml:"thresholds"`
	// Targets are internal targets tighter than the contract's deadlines
	// (OLAs), by rule ID: the open time the provider allows itself.
	Targets map[string]time.Duration `json:"targets,omitempty" yaml:"targets,omitempty"`
}

// DefaultRisk returns the usual alert thresholds: 50 %, 75 % and 90 % of
// the allowance, and no internal target.
func DefaultRisk() RiskOptions {
	return RiskOptions{Thresholds: []decimal.Decimal{decimal.New(5, -1), decimal.New(75, -2), decimal.New(9, -1)}}
}

// check refuses thresholds out of (0, 1] or out of order, and targets
// that are not positive.
func (o RiskOptions) check() error {
	var errs []error
	for i, t := range o.Thresholds {
		if !t.IsPositive() || t.GreaterThan(decimal.NewFromInt(1)) {
			errs = append(errs, fmt.Errorf("sla: alert threshold %s is not in (0, 1]", t))
		}
		if i > 0 && !t.GreaterThan(o.Thresholds[i-1]) {
			errs = append(errs, fmt.Errorf("sla: alert thresholds must increase: %s after %s", t, o.Thresholds[i-1]))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(o.Targets)) {
		if o.Targets[id] <= 0 {
			errs = append(errs, fmt.Errorf("sla: internal target of %s must be positive, not %s", id, o.Targets[id]))
		}
	}
	return errors.Join(errs...)
}
