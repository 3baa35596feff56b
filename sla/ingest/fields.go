package ingest

// field is a record field a column can feed. It is the link between the
// Columns struct, the mapping file's keys and the decoders.
type field uint8

const (
	fID field = iota
	fKind
	fPriority
	fService
	fCategory
	fGroup
	fLevel
	fOpened
	fAcknowledged
	fResolved
	fClosed
	fStatus
	fSatisfaction
	fExclusion
	fProblem
	fUpdated
	fSequence
	fReopenCount
	fReassignmentCount
	fQueue
	fOffered
	fAnswered
	fEnded
	fAbandoned
	fFirstContact
	fAgent
	fStart
	fEnd
	fPlanned
	fAnnounced
	fName
	fAt
	fValue
	numFields
)

// String is the field's key in a mapping file and its name in messages.
func (f field) String() string {
	switch f {
	case fID:
		return "id"
	case fKind:
		return "kind"
	case fPriority:
		return "priority"
	case fService:
		return "service"
	case fCategory:
		return "category"
	case fGroup:
		return "group"
	case fLevel:
		return "level"
	case fOpened:
		return "opened"
	case fAcknowledged:
		return "acknowledged"
	case fResolved:
		return "resolved"
	case fClosed:
		return "closed"
	case fStatus:
		return "status"
	case fSatisfaction:
		return "satisfaction"
	case fExclusion:
		return "exclusion"
	case fProblem:
		return "problem"
	case fUpdated:
		return "updated"
	case fSequence:
		return "sequence"
	case fReopenCount:
		return "reopen_count"
	case fReassignmentCount:
		return "reassignment_count"
	case fQueue:
		return "queue"
	case fOffered:
		return "offered"
	case fAnswered:
		return "answered"
	case fEnded:
		return "ended"
	case fAbandoned:
		return "abandoned"
	case fFirstContact:
		return "first_contact"
	case fAgent:
		return "agent"
	case fStart:
		return "start"
	case fEnd:
		return "end"
	case fPlanned:
		return "planned"
	case fAnnounced:
		return "announced"
	case fName:
		return "name"
	case fAt:
		return "at"
	case fValue:
		return "value"
	}
	return "?"
}

// fieldNamed is the inverse of field.String.
func fieldNamed(name string) (field, bool) {
	for f := range numFields {
		if f.String() == name {
			return f, true
		}
	}
	return 0, false
}

// isTime tells the fields holding instants: they get no default value,
// since a constant instant for every row would be a guess.
func (f field) isTime() bool {
	switch f {
	case fOpened, fAcknowledged, fResolved, fClosed, fUpdated,
		fOffered, fAnswered, fEnded, fStart, fEnd, fAnnounced, fAt:
		return true
	}
	return false
}

// Columns names, for each record field, the CSV header or JSON key that
// holds it. A name may list alternatives separated by "|"
// ("opened_at|Opened"): the first one present in the input is used, which
// lets one mapping read both an export by field names and one by labels.
// Header names are matched without regard to case or surrounding spaces.
// An empty name leaves the field unmapped. A header that itself contains
// "|" cannot be named.
//
// Which fields a record uses is listed with each group; naming a column
// for a field the record does not have is a mapping error rather than
// being ignored, because it is nearly always a typo.
type Columns struct {
	// Every record.
	ID string

	// Tickets (pacte.Ticket). Problem fills Links with one link of kind
	// "problem".
	Kind, Priority, Service, Category, Group, Level              string
	Opened, Acknowledged, Resolved, Closed, Status, Satisfaction string
	Exclusion, Problem                                           string
	// ReopenCount and ReassignmentCount are the counts of a flat export
	// (ServiceNow's reopen_count, reassignment_count). In an event log,
	// ReopenCount also marks, when its value grows, a reopening that the
	// statuses do not show.
	ReopenCount, ReassignmentCount string

	// Ticket event logs only (one row per update). Updated orders the
	// rows; Sequence (an update counter such as sys_mod_count) breaks
	// ties between rows of the same instant.
	Updated, Sequence string

	// Calls (pacte.Call).
	Queue, Offered, Answered, Ended, Abandoned, FirstContact, Agent string

	// Outages (pacte.Outage), with Service above.
	Start, End, Planned, Announced string

	// Samples (pacte.Sample).
	Name, At, Value string
}

// ptr gives access to a field's column name by field, so that the
// mapping code can loop over fields instead of repeating itself per name.
func (c *Columns) ptr(f field) *string {
	switch f {
	case fID:
		return &c.ID
	case fKind:
		return &c.Kind
	case fPriority:
		return &c.Priority
	case fService:
		return &c.Service
	case fCategory:
		return &c.Category
	case fGroup:
		return &c.Group
	case fLevel:
		return &c.Level
	case fOpened:
		return &c.Opened
	case fAcknowledged:
		return &c.Acknowledged
	case fResolved:
		return &c.Resolved
	case fClosed:
		return &c.Closed
	case fStatus:
		return &c.Status
	case fSatisfaction:
		return &c.Satisfaction
	case fExclusion:
		return &c.Exclusion
	case fProblem:
		return &c.Problem
	case fUpdated:
		return &c.Updated
	case fSequence:
		return &c.Sequence
	case fReopenCount:
		return &c.ReopenCount
	case fReassignmentCount:
		return &c.ReassignmentCount
	case fQueue:
		return &c.Queue
	case fOffered:
		return &c.Offered
	case fAnswered:
		return &c.Answered
	case fEnded:
		return &c.Ended
	case fAbandoned:
		return &c.Abandoned
	case fFirstContact:
		return &c.FirstContact
	case fAgent:
		return &c.Agent
	case fStart:
		return &c.Start
	case fEnd:
		return &c.End
	case fPlanned:
		return &c.Planned
	case fAnnounced:
		return &c.Announced
	case fName:
		return &c.Name
	case fAt:
		return &c.At
	case fValue:
		return &c.Value
	}
	return nil
}

func (c *Columns) get(f field) string {
	if p := c.ptr(f); p != nil {
		return *p
	}
	return ""
}

// RecordKind is the kind of record an input holds.
type RecordKind uint8

const (
	// AnyRecord leaves the kind to the reader the mapping is given to.
	AnyRecord RecordKind = iota
	TicketRecords
	CallRecords
	OutageRecords
	SampleRecords
)

func (k RecordKind) String() string {
	switch k {
	case AnyRecord:
		return "any"
	case TicketRecords:
		return "tickets"
	case CallRecords:
		return "calls"
	case OutageRecords:
		return "outages"
	case SampleRecords:
		return "samples"
	}
	return "unknown"
}

// fields lists the fields a record kind has. eventLog adds the fields
// that order the rows of a ticket's event log.
func (k RecordKind) fields(eventLog bool) []field {
	switch k {
	case TicketRecords:
		fs := []field{fID, fKind, fPriority, fService, fCategory, fGroup, fLevel,
			fOpened, fAcknowledged, fResolved, fClosed, fStatus, fSatisfaction,
			fExclusion, fProblem, fReopenCount, fReassignmentCount}
		if eventLog {
			fs = append(fs, fUpdated, fSequence)
		}
		return fs
	case CallRecords:
		return []field{fID, fQueue, fOffered, fAnswered, fEnded, fAbandoned, fFirstContact, fAgent}
	case OutageRecords:
		return []field{fID, fService, fStart, fEnd, fPlanned, fAnnounced}
	case SampleRecords:
		return []field{fID, fName, fAt, fValue}
	}
	return nil
}

// required lists the fields without which a record cannot be evaluated.
// A required field needs a column (or, for non-instants, a default).
func (k RecordKind) required(eventLog bool) []field {
	switch k {
	case TicketRecords:
		if eventLog {
			return []field{fID, fOpened, fUpdated, fStatus}
		}
		return []field{fID, fOpened}
	case CallRecords:
		return []field{fID, fOffered}
	case OutageRecords:
		return []field{fService, fStart}
	case SampleRecords:
		return []field{fName, fAt, fValue}
	}
	return nil
}

// nativeColumns names each field after the JSON name of the record field
// it fills, so that pacte's own CSV and JSON Lines need no mapping.
func nativeColumns(k RecordKind) Columns {
	var c Columns
	for _, f := range k.fields(false) {
		*c.ptr(f) = f.String()
	}
	return c
}
