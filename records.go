package pacte

import (
	"time"

	"github.com/pacte-sla/pacte/calendar"
	"github.com/shopspring/decimal"
)

// AttrInferred is the attribute in which a reader names the fields of a
// record it inferred rather than read ("resolved", "resolved,closed"): an
// event-log replay takes a ticket's resolution from its status history
// when the export has no resolution column. The report's accounting
// counts them (sla.RecordCount.Inferred).
const AttrInferred = "pacte.inferred"

// AttrAdjustment and AttrAgreedExclusion are the attributes in which an
// agreed adjustment (package sla/adjust) marks a record it changed: what
// was changed, why and by whom, which the report shows with the item; and
// the reason of an agreed exclusion, which leaves the record out of every
// rule, counted as excluded for "agreed: " and the reason.
const (
	AttrAdjustment      = "pacte.adjustment"
	AttrAgreedExclusion = "pacte.agreed_exclusion"
)

// Interval is a half-open span of time [Start, End). It is the type of
// pauses and service windows.
type Interval = calendar.Interval

// StatusChange is one entry of a ticket's status history: from At on, the
// ticket is in Status until the next change.
//
//	ServiceNow  sys_audit / metric_instance rows on "state" (or the event log's incident_state, sys_updated_at)
//	GLPI        glpi_logs rows on the "status" field
//	iTop        CMDBChangeOpSetAttributeScalar on "status"
//	Jira        changelog items whose field is "status"
type StatusChange struct {
	At     time.Time `json:"at" expr:"at"`
	Status string    `json:"status" expr:"status"`
}

// Link ties a ticket to another record, with the few facts of the other
// record that rules need. A problem's links name the incidents it was
// opened for, with their priority and restoration instant, so that a rule
// such as "root-cause report within 10 open days of the incident's
// restoration" is evaluated from the problem alone, without holding every
// incident in memory.
//
//	ServiceNow  problem.first_reported_by_task, incident.problem_id
//	GLPI        glpi_problems_tickets
//	iTop        UserRequest.parent_problem_id, Incident.parent_problem_id
//	Jira        issue links ("is caused by", "relates to")
type Link struct {
	ID       string    `json:"id" expr:"id"`
	Kind     string    `json:"kind,omitempty" expr:"kind"`         // kind of the linked record: "incident", "problem"…
	Priority string    `json:"priority,omitempty" expr:"priority"` // its priority, normalised ("P1")
	Resolved time.Time `json:"resolved,omitzero" expr:"resolved"`  // when it was resolved (restored, for an incident)
}

// Ticket is an incident, a service request, a problem or a change.
//
// Field by field, with the name it has in the usual tools:
//
//	field          ServiceNow                 GLPI                  iTop                     Jira Service Management
//	ID             number                     id                    ref                      key
//	Kind           table (incident, sc_req_item, problem, change_request)
//	                                          type (1 incident, 2 request)
//	                                                                finalclass (Incident, UserRequest, Problem)
//	                                                                                         issuetype
//	Priority       priority                   priority / urgency    priority                 priority
//	Service        business_service / cmdb_ci itilcategories / item service_name             components / "Affected services"
//	Category       category                   itilcategories_id     servicesubcategory_name  "Request type"
//	Group          assignment_group           groups_id_assign      team_id_friendlyname     "Team" / assignee's team
//	Level          escalation / resolved_by group tier
//	                                          (from the group)      escalation level         (from the team)
//	Opened         opened_at                  date                  start_date               created
//	Acknowledged   work_start / first assignment
//	                                          takeintoaccount_date  assignment_date          "Time to first response" stop
//	Resolved       resolved_at                solvedate             resolution_date          resolutiondate
//	Closed         closed_at                  closedate             close_date               "Closed" transition
//	Status         state / incident_state     status                status                   status
//	History        state changes (audit)      glpi_logs             change ops               changelog
//	Pauses         on-hold intervals          waiting periods       pending periods          "Waiting for customer" periods
//	Reopened       reopen_count + audit       reopen solution log   reopen events            "Reopened" transitions
//	ReopenCount    reopen_count               (replayed)            (replayed)               (replayed)
//	ReassignmentCount reassignment_count      (replayed)            (replayed)               (replayed)
//	Satisfaction   survey result              glpi_ticketsatisfactions.satisfaction
//	                                                                user_satisfaction        satisfaction rating
//	Links          problem_id / parent        glpi_problems_tickets lnk tables               issue links
//	Exclusion      (custom field)             (custom field)        (custom field)           (custom field)
//
// Pauses may be given explicitly, or derived by the engine from History
// when a rule names the statuses that stop its clock; both are accepted.
type Ticket struct {
	ID           string    `json:"id" expr:"id"`
	Kind         string    `json:"kind" expr:"kind"`                   // "incident", "request", "problem", "change"…
	Priority     string    `json:"priority,omitempty" expr:"priority"` // normalised: "P1", "P2"…
	Service      string    `json:"service,omitempty" expr:"service"`   // affected business service or application
	Category     string    `json:"category,omitempty" expr:"category"` // category or request type ("standard" requests…)
	Group        string    `json:"group,omitempty" expr:"group"`       // assignment group at resolution
	Level        int       `json:"level,omitempty" expr:"level"`       // support level that resolved it (1, 2, 3); 0 when unknown
	Opened       time.Time `json:"opened" expr:"opened"`
	Acknowledged time.Time `json:"acknowledged,omitzero" expr:"acknowledged"` // taken into account (prise en charge)
	Resolved     time.Time `json:"resolved,omitzero" expr:"resolved"`         // restored or resolved; zero while open
	Closed       time.Time `json:"closed,omitzero" expr:"closed"`
	Status       string    `json:"status,omitempty" expr:"status"` // last known status

	History  []StatusChange `json:"history,omitempty" expr:"history"`   // status changes, in time order
	Pauses   []Interval     `json:"pauses,omitempty" expr:"pauses"`     // intervals during which the SLA clocks stop
	Reopened []time.Time    `json:"reopened,omitempty" expr:"reopened"` // instants at which the ticket was reopened

	// ReopenCount and ReassignmentCount are how many times the ticket was
	// reopened and reassigned to another group, as a flat export counts
	// them (ServiceNow's reopen_count, reassignment_count) or as an event
	// log's replay counts them; zero when unknown. Reopened holds the
	// instants, when known: a flat export gives the count alone.
	ReopenCount       int `json:"reopen_count,omitempty" expr:"reopen_count"`
	ReassignmentCount int `json:"reassignment_count,omitempty" expr:"reassignment_count"`

	// Satisfaction is the score of the survey returned for this ticket,
	// on the contract's scale (1 to 5 in most); zero when none was returned.
	Satisfaction decimal.Decimal `json:"satisfaction,omitzero" expr:"satisfaction"`

	Links []Link `json:"links,omitempty" expr:"links"`

	// Exclusion is why the ticket does not count ("client", "force
	// majeure", "out of scope"…), as recorded in the tool; empty when it
	// counts. A rule may add exclusions of its own, by expression.
	Exclusion string `json:"exclusion,omitempty" expr:"exclusion"`

	Attrs map[string]string `json:"attrs,omitempty" expr:"attrs"` // every other column, by name
}

// Call is one call offered to a phone queue.
//
//	field         Genesys / Avaya / Cisco UCCX / 3CX exports (the usual names)
//	ID            interaction / call id
//	Queue         queue, skill, split, CSQ
//	Offered       the instant the call entered the queue (after the IVR)
//	Answered      the instant an agent picked it up; zero when never answered
//	Ended         the instant the call ended (hang-up of either party)
//	Abandoned     the caller hung up while waiting
//	FirstContact  resolved during the call, without a callback or escalation (from the ticket or the agent's wrap-up code)
//
// A call that was neither answered nor abandoned (transferred out of the
// queue, overflowed, deflected by the IVR) has Abandoned false and a zero
// Answered; rules decide whether it counts as offered.
type Call struct {
	ID           string            `json:"id" expr:"id"`
	Queue        string            `json:"queue,omitempty" expr:"queue"`
	Offered      time.Time         `json:"offered" expr:"offered"`
	Answered     time.Time         `json:"answered,omitzero" expr:"answered_at"`
	Ended        time.Time         `json:"ended,omitzero" expr:"ended"`
	Abandoned    bool              `json:"abandoned,omitempty" expr:"abandoned"`
	FirstContact bool              `json:"first_contact,omitempty" expr:"first_contact"`
	Agent        string            `json:"agent,omitempty" expr:"agent"`
	Attrs        map[string]string `json:"attrs,omitempty" expr:"attrs"`
}

// Outage is a span during which a service was down, planned or not.
//
//	field      ServiceNow                      Zabbix / Centreon / Nagios         status pages
//	ID         cmdb_ci_outage.number           event id                           incident id
//	Service    cmdb_ci                          host / service                     component
//	Start      begin                            problem start                      started_at
//	End        end                              recovery                           resolved_at
//	Planned    type == "planned"                maintenance period                 scheduled maintenance
//	Announced  change_request approval / notice maintenance creation time          scheduled_for announcement
//
// A zero End means the outage was still going on when the data was
// extracted; the engine stops it at the end of the period it measures.
type Outage struct {
	ID        string            `json:"id" expr:"id"`
	Service   string            `json:"service" expr:"service"`
	Start     time.Time         `json:"start" expr:"start"`
	End       time.Time         `json:"end,omitzero" expr:"end"`
	Planned   bool              `json:"planned,omitempty" expr:"planned"`
	Announced time.Time         `json:"announced,omitzero" expr:"announced"` // when a planned outage was announced to the client
	Attrs     map[string]string `json:"attrs,omitempty" expr:"attrs"`
}

// Sample is one named measurement at an instant: a satisfaction survey's
// score, the month's count of managed workstations, a quality audit's
// result.
type Sample struct {
	ID    string            `json:"id,omitempty" expr:"id"`
	Name  string            `json:"name" expr:"name"` // what is measured: "csat", "workstations"…
	At    time.Time         `json:"at" expr:"at"`
	Value decimal.Decimal   `json:"value" expr:"value"`
	Attrs map[string]string `json:"attrs,omitempty" expr:"attrs"`
}
