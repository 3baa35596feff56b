package sla

import (
	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/dsl"
)

// Adjustment is an agreed adjustment applied to the input before the
// evaluation (package sla/adjust), as a report's provenance lists it.
type Adjustment struct {
	Item     string `json:"item"`
	Source   string `json:"source"`   // tickets or outages
	Decision string `json:"decision"` // exclude, or reclassify priority=P2
	Reason   string `json:"reason"`
	AgreedBy string `json:"agreed_by"`
	Date     string `json:"date"` // the day it was agreed, yyyy-mm-dd
	// Matched is the number of records it applied to: 0 for an item the
	// input does not hold, which a warning of the report names.
	Matched int `json:"matched"`
}

// reasonAgreed prefixes the reason of an agreed exclusion in the counts
// of excluded items.
const reasonAgreed = "agreed: "

// attrsOf returns the attributes of the record of an environment.
func attrsOf[E dsl.Env](env *E) map[string]string {
	switch x := any(env).(type) {
	case *dsl.Ticket:
		return x.Attrs
	case *dsl.Call:
		return x.Attrs
	case *dsl.Outage:
		return x.Attrs
	case *dsl.Sample:
		return x.Attrs
	}
	return nil
}

// agreedExclusion returns the reason of an agreed exclusion of the record
// of env (pacte.AttrAgreedExclusion), as the rules count it.
func agreedExclusion(attrs map[string]string) (string, bool) {
	if len(attrs) == 0 {
		return "", false
	}
	r, ok := attrs[pacte.AttrAgreedExclusion]
	return reasonAgreed + r, ok
}

// adjustmentAttr is the attribute a missed item's adjustment is read from.
const adjustmentAttr = pacte.AttrAdjustment
