package sla

import (
	"github.com/shopspring/decimal"
	"time"

	"github.com/pacte-sla/pacte/contract"
)

// FormatVersion is the version of the JSON form of a Report, which
// Evaluate writes in Report.FormatVersion. It changes when a field changes
// its meaning or goes; fields may be added within a version. The schema of
// each version is docs/report.schema.json.
const FormatVersion = 1

// Report is the result of an evaluation: per period and rule, what was
// counted, the achieved value against the objective, the penalty or bonus
// before and after each step of the pipeline, and the missed items. It is
// data, with stable snake_case JSON names; package sla/report renders it.
type Report struct {
	// FormatVersion is the version of this JSON form (see the constant
	// FormatVersion): programs reading a report check it.
	FormatVersion int       `json:"format_version"`
	Contract      string    `json:"contract"`
	File          string    `json:"file,omitempty"`
	Currency      string    `json:"currency"`
	Locale        string    `json:"locale,omitempty"`
	From          time.Time `json:"from"` // first instant of the first period reported
	To            time.Time `json:"to"`   // first instant after the last period reported
	// AsOf is the instant the data describes: a ticket still open then is
	// missed in a period only once that period has ended by AsOf.
	AsOf time.Time `json:"as_of"`
	// Netting says whether bonuses are set off against penalties (see
	// PeriodReport.Net).
	Netting bool `json:"netting"`
	// Rules lists the contract's rules, in its order.
	Rules []RuleInfo `json:"rules"`
	// Groups lists the contract's rule groups, in its order; each has a
	// row of its own in the periods, after the rules.
	Groups  []GroupInfo    `json:"groups,omitempty"`
	Periods []PeriodReport `json:"periods"`
	Totals  Totals         `json:"totals"`
	// Records accounts for every record read, per source.
	Records map[string]*RecordCount `json:"records"`
	// Rejected lists the records that could not be read or evaluated.
	Rejected []Rejection `json:"rejected"`
	// Errors lists the rules that failed on an item: the item is left out
	// of that rule only.
	Errors   []RuleError `json:"errors"`
	Warnings []string    `json:"warnings"`
	// Provenance says what the report was made from, apart from the
	// figures, so that both parties can make it again and check it
	// (pacte verify). Evaluate leaves it nil: the caller that read the
	// files fills it.
	Provenance *Provenance `json:"provenance,omitempty"`
}

// Provenance is what a report was made from: the version of pacte, the
// contract file and every input file with their SHA-256, the digests of
// the volumes and index values given, and the settings of the evaluation.
type Provenance struct {
	Pacte    string       `json:"pacte"`    // the version of pacte that made the report
	Contract FileDigest   `json:"contract"` // the contract file
	Inputs   []FileDigest `json:"inputs"`   // the input files, by role: tickets, calls, outages, samples, mapping, volumes, indices
	// Volumes and Indices are the SHA-256 of the values given (their JSON,
	// keys sorted), however they were given; "" when none were.
	Volumes string `json:"volumes,omitempty"`
	Indices string `json:"indices,omitempty"`
	// Settings are the settings of the evaluation that change its figures
	// (asof, from, to, preset, allow-duplicates), as they were given.
	Settings map[string]string `json:"settings,omitempty"`
	// Adjustments are the agreed adjustments applied to the input before
	// the evaluation, from the input file of role adjustments.
	Adjustments []Adjustment `json:"adjustments,omitempty"`
}

// FileDigest is a file a report was made from: its role, its path
// relative to the report's folder (with slashes), and its SHA-256 in hex.
type FileDigest struct {
	Role   string `json:"role,omitempty"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// RuleInfo describes a rule of the contract.
type RuleInfo struct {
	ID            string               `json:"id"`
	Name          string               `json:"name,omitempty"`
	Clause        string               `json:"clause,omitempty"`
	Source        string               `json:"source"`
	Period        string               `json:"period"` // month, quarter, year or contract_year
	Measure       contract.MeasureKind `json:"measure"`
	Unit          contract.Unit        `json:"unit,omitempty"` // how the objective's values read; none without one
	Op            string               `json:"op"`             // >=, >, <=, < or ==
	Objective     Quantity             `json:"objective"`
	ObjectiveText string               `json:"objective_text"`
}

// PeriodReport is one measurement period (a month, by default).
type PeriodReport struct {
	Period       string    `json:"period"` // "2027-03"
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	ContractYear int       `json:"contract_year"`
	// Provisional says that the period had not ended at AsOf: its
	// figures may still change as the rest of it is recorded.
	Provisional bool          `json:"provisional,omitempty"`
	Invoice     InvoiceReport `json:"invoice"`
	Rules       []RuleReport  `json:"rules"`
	// Steps are the pipeline steps that act on the period as a whole:
	// the monthly and yearly caps, the bonus cap, netting.
	Steps     []TraceLine `json:"steps"`
	Penalties Money       `json:"penalties"` // due, after every step
	Bonuses   Money       `json:"bonuses"`   // due, after every step
	// Net is what the provider owes for the period: penalties less
	// bonuses when they are netted, the penalties alone otherwise. A
	// negative net is a bonus paid.
	Net Money `json:"net"`
}

// InvoiceReport is the period's bill, the base of percentage penalties.
type InvoiceReport struct {
	Lines    []InvoiceLine `json:"lines"`
	Total    Money         `json:"total"`
	Warnings []string      `json:"warnings,omitempty"`
}

// InvoiceLine is one work unit of the bill.
type InvoiceLine struct {
	Unit      string     `json:"unit"`
	Name      string     `json:"name,omitempty"`
	Quantity  Number     `json:"quantity"`
	UnitPrice *Money     `json:"unit_price,omitempty"`
	Bands     []BandLine `json:"bands,omitempty"`
	Fixed     bool       `json:"fixed,omitempty"` // a flat fee, whatever the volume
	Revision  Number     `json:"revision"`        // the price revision coefficient applied, 1 when none
	Amount    Money      `json:"amount"`
	// PriceFrom is the first day (yyyy-mm-dd) of the price version an
	// amendment set that the line is billed at; empty for the unit's own
	// price. Over a period of several months, the latest.
	PriceFrom string `json:"price_from,omitempty"`
}

// BandLine is the part of a quantity billed in one volume band.
type BandLine struct {
	From      Number `json:"from"`
	To        Number `json:"to,omitzero"` // absent for the last, unbounded band
	Quantity  Number `json:"quantity"`
	UnitPrice Money  `json:"unit_price"`
	Amount    Money  `json:"amount"`
}

// Status is the outcome of a rule in a period.
type Status string

// The outcomes of a rule.
const (
	StatusMet           Status = "met"
	StatusBreached      Status = "breached"
	StatusNotApplicable Status = "not_applicable" // nothing measured, or below the minimum volume without a fallback
	// StatusNoData is a rule whose source was not given at all (see
	// Input): nothing says how the service did, so it carries no penalty
	// and no bonus.
	StatusNoData Status = "no_data"
)

// RuleReport is one rule over one period.
type RuleReport struct {
	ID     string    `json:"id"`
	Name   string    `json:"name,omitempty"`
	Period string    `json:"period"` // the rule's own period, which may be longer than the report's
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	// Provisional says that the rule's period had not ended at AsOf.
	Provisional bool `json:"provisional,omitempty"`

	Eligible int            `json:"eligible"`
	Met      int            `json:"met"`
	Missed   int            `json:"missed"`
	Excluded map[string]int `json:"excluded"` // items left out, per reason

	Measure       contract.MeasureKind `json:"measure"`        // share, mean, availability…
	Unit          contract.Unit        `json:"unit,omitempty"` // how its values read: ratio, duration, integer or number; none without an objective
	Achieved      *Quantity            `json:"achieved"`       // nil when nothing was measured
	Op            string               `json:"op"`             // the comparison of the objective that applied: >=, <=…
	Objective     Quantity             `json:"objective"`      // the threshold that applied
	ObjectiveText string               `json:"objective_text"` // as the contract writes it
	SmallVolume   bool                 `json:"small_volume"`   // the objective below the minimum volume applied
	// VersionFrom is the first day (yyyy-mm-dd) of the version of the rule
	// an amendment set that applied in the period; empty for the rule's own.
	VersionFrom string `json:"version_from,omitempty"`
	Status      Status `json:"status"`
	// Note says why a rule is not applicable, or that the objective below
	// the minimum volume applied.
	Note string `json:"note,omitempty"`

	Penalty    Money       `json:"penalty"`     // due, after every step
	Bonus      Money       `json:"bonus"`       // due, after every step
	RawPenalty Money       `json:"raw_penalty"` // as the rule's formulas give it
	RawBonus   Money       `json:"raw_bonus"`
	Steps      []TraceLine `json:"steps"`

	MissedItems []MissedItem `json:"missed_items"`
	// MissedListed is how many missed items are listed when the list was
	// limited (sla.ListMissed); equal to Missed otherwise.
	MissedListed int `json:"missed_listed"`
	// ExcludedItems are the items an exclusion left out of the rule in the
	// period, each with its reason, in the order of the missed items (by
	// instant, then ID). The listing limit of missed items bounds them too
	// (sla.ListMissed). Short abandons are counted in Excluded but not
	// listed: the measure's own definition leaves them out of every call
	// rule, a desk has hundreds a month, and listed they would push the
	// exclusions both parties check off a limited list.
	ExcludedItems []ExcludedItem `json:"excluded_items,omitempty"`
	// ExcludedListed is how many excluded items are listed: the excluded
	// items but short abandons, unless the list was limited.
	ExcludedListed int `json:"excluded_listed,omitempty"`
	// LateOpen is where the rule counts a ticket still running past its
	// deadline, given when a listed item is one (Open).
	LateOpen contract.LateOpen `json:"late_open,omitempty"`

	Availability *AvailabilityFigures `json:"availability,omitempty"`
	Calls        *CallFigures         `json:"calls,omitempty"`
	// Group is set in the row of a rule group: its members, those
	// breached and those that carried a penalty.
	Group *GroupFigures `json:"group,omitempty"`
}

// MissedItem is an item that counted against the objective, with what
// was measured.
type MissedItem struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"`                 // the instant that put it in the period
	Measured string    `json:"measured,omitempty"` // elapsed open time, wait, downtime…
	Deadline time.Time `json:"deadline,omitzero"`
	Late     Duration  `json:"late,omitempty"`   // open time beyond the deadline
	Amount   *Money    `json:"amount,omitempty"` // its per-item penalty, when the rule has one
	// Open: still running past its deadline, counted as the rule's
	// LateOpen says: at the end of the period its deadline passed in
	// (deadline_period), or when the data was extracted (attribution).
	Open bool `json:"open,omitempty"`
	// Adjustment is the agreed adjustment the item went through before
	// the evaluation: what was decided, why, by whom and when.
	Adjustment string `json:"adjustment,omitempty"`

	// feeCoefs: what Amount adds per unit of each fee its per-item
	// formula names, once the period's fees are known.
	feeCoefs map[string]decimal.Decimal
}

// ExcludedItem is an item an exclusion left out of a rule: one of the
// rule's exclusions held (its reason, as the contract names it), the
// parties agreed to leave it out ("agreed: " and the reason), or an outage
// was shorter than the rule's minimum.
type ExcludedItem struct {
	ID     string    `json:"id"`
	At     time.Time `json:"at"` // the instant that put it in the period
	Reason string    `json:"reason"`
	// Adjustment is the agreed adjustment the item went through before
	// the evaluation: what was decided, why, by whom and when.
	Adjustment string `json:"adjustment,omitempty"`
}

// TraceLine is a line of the penalty pipeline's trace: what a step did to
// an amount, and why.
type TraceLine struct {
	Step   contract.Step `json:"step"`
	Kind   AmountKind    `json:"kind"` // the amount the step changed
	Before Money         `json:"before"`
	After  Money         `json:"after"`
	Note   string        `json:"note"`
	// Provisional: the step looked at a span (a contract year, the term)
	// that the data does not cover whole, and may still change the amount.
	Provisional bool `json:"provisional,omitempty"`
}

// AmountKind is the amount a trace line is about.
type AmountKind string

// The amounts of trace lines.
const (
	PenaltyAmount AmountKind = "penalty"
	BonusAmount   AmountKind = "bonus"
	NetAmount     AmountKind = "net" // the penalties less the bonuses set off against them
)

// AvailabilityFigures are the figures of an availability rule.
type AvailabilityFigures struct {
	ServiceTime Seconds `json:"service_time"` // agreed service time in the period
	Downtime    Seconds `json:"downtime"`     // counted outage time within it, overlaps once
	Outages     int     `json:"outages"`      // outages counted
	MTTR        Seconds `json:"mttr"`         // mean time to restore: mean duration of the counted outages
}

// CallFigures are the telephony figures of a call rule.
type CallFigures struct {
	Offered        int     `json:"offered"`
	Answered       int     `json:"answered"`
	Abandoned      int     `json:"abandoned"`
	ShortAbandons  int     `json:"short_abandons"`
	AnsweredWithin int     `json:"answered_within,omitempty"` // answered within the service level's time
	MeanWait       Seconds `json:"mean_wait"`                 // of answered calls
}

// Totals add up the periods reported.
type Totals struct {
	Invoice   Money `json:"invoice"`
	Penalties Money `json:"penalties"`
	Bonuses   Money `json:"bonuses"`
	Net       Money `json:"net"`
	// ContractYears are the same totals per contract year, keyed "1", "2"…
	ContractYears map[string]YearTotals `json:"contract_years"`
}

// YearTotals are the totals of one contract year within the report.
type YearTotals struct {
	Invoice   Money `json:"invoice"`
	Penalties Money `json:"penalties"`
	Bonuses   Money `json:"bonuses"`
	Net       Money `json:"net"`
}

// RecordCount accounts for the records of one source: every record read
// is counted by some rule or work unit, excluded (with its reasons), or
// rejected. Read == Counted + Excluded + Rejected.
type RecordCount struct {
	Read     int            `json:"read"`
	Counted  int            `json:"counted"`
	Excluded int            `json:"excluded"`
	Reasons  map[string]int `json:"reasons"` // why the excluded records count nowhere
	Rejected int            `json:"rejected"`
	// Inferred counts, by field, the records whose field a reader took
	// from elsewhere than its column (pacte.AttrInferred): a ticket's
	// resolution replayed from its status history.
	Inferred map[string]int `json:"inferred,omitempty"`
}

// Rejection is a record that could not be read or evaluated.
type Rejection struct {
	Source string `json:"source"` // tickets, calls… or the file a reader read
	Line   int    `json:"line,omitempty"`
	Column string `json:"column,omitempty"`
	ID     string `json:"id,omitempty"`
	Error  string `json:"error"`
}

// RuleError is a rule that failed on one item.
type RuleError struct {
	Rule   string `json:"rule"`
	Item   string `json:"item"`
	Period string `json:"period,omitempty"`
	Error  string `json:"error"`
}
