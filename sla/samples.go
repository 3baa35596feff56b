package sla

import (
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/dsl"
)

// AddSample evaluates a sample against every sample rule.
func (e *Evaluator) AddSample(s *pacte.Sample) {
	clear(e.scopes)
	clear(e.attrDone)
	if err := pacte.CheckSample(s, e.c.Location()); err != nil {
		e.reject(contract.Samples, s.ID, err)
		return
	}
	e.seen(s.At)
	var tally recordTally
	env := &e.senv
	*env = dsl.Sample{Sample: s}
	id := s.ID
	if id == "" {
		id = s.Name + "@" + s.At.Format(time.RFC3339)
	}
	for _, rule := range e.bySrc[contract.Samples] {
		simpleRule(e, rule, rule.samples, env, id, &tally)
	}
	countVolumes(e, e.sampleUnits, env, &tally)
	e.account(contract.Samples, id, &tally)
}
