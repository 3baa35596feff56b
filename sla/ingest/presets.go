package ingest

import (
	"fmt"
	"strings"
)

// The presets below describe the usual exports of the ITSM tools pacte's
// users run. Each returns a fresh Mapping, to be used as is or adjusted
// (Clone is not needed: nothing else holds it). Column names list both
// the tool's field names and its English (and, for GLPI, French) labels
// where exports differ by setting or version; a column absent from the
// export is simply not read. Columns they do not map go to Attrs.
//
// What a preset cannot know is the contract: which statuses stop the
// clock and what a priority is called. Presets follow the tools' defaults;
// a mapping file with "preset: <name>" can override any part. Presets read
// UTF-8, as the tools export it (with or without a byte order mark); a file
// saved again by Excel on a French Windows needs encoding: windows-1252.

// PresetNames lists the names [Preset] accepts.
func PresetNames() []string {
	return []string{"servicenow-incident", "servicenow-eventlog", "glpi", "itop", "jira-sm"}
}

// Preset returns the preset of that name (see [PresetNames]), for
// command-line tools and mapping files that name a preset.
func Preset(name string) (*Mapping, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "servicenow-incident":
		return ServiceNowIncidents(), nil
	case "servicenow-eventlog":
		return ServiceNowEventLog(), nil
	case "glpi":
		return GLPITickets(), nil
	case "itop":
		return ITopTickets(), nil
	case "jira-sm":
		return JiraServiceManagement(), nil
	}
	return nil, &MappingError{Key: "preset", Err: fmt.Errorf("unknown preset %q (known: %s)", name, strings.Join(PresetNames(), ", "))}
}

// ServiceNow's states that stop SLA clocks by default: "On Hold" and its
// reasons, and the "Awaiting …" states of older releases.
func serviceNowPauses() []string {
	return []string{"On Hold", "Awaiting User Info", "Awaiting Caller", "Awaiting Vendor",
		"Awaiting Problem", "Awaiting Evidence", "Awaiting Change"}
}

func serviceNowKinds() map[string]string {
	return map[string]string{
		"incident": "incident", "sc_req_item": "request", "sc_request": "request",
		"sc_task": "request", "problem": "problem", "change_request": "change",
		"Requested Item": "request", "Request": "request", "Catalog Task": "request",
		"Change Request": "change",
	}
}

// ServiceNowIncidents reads a list export of the incident table (List
// view → Export → CSV, or the Table API's JSON flattened to lines), one
// incident per row.
//
// Assumed columns (field names, or their labels in an export by labels):
// number (Number), sys_class_name (Task type; kind "incident" when
// absent), priority (Priority, "1 - Critical" → P1), business_service
// (Service) or else cmdb_ci (Configuration item), category (Category),
// assignment_group (Assignment group), opened_at (Opened), resolved_at
// (Resolved), closed_at (Closed), state (State) or incident_state,
// problem_id (Problem), and, when the export has them, reopen_count
// (Reopen count) and reassignment_count (Reassignment count) into the
// ticket's ReopenCount and ReassignmentCount. Dates are "yyyy-mm-dd hh:mm:ss", ServiceNow's
// default, in the exporting user's time zone, so Options.Location must
// be that zone; "dd-mm-yyyy" instances are read too. A list export has
// no history: pauses and reopenings need the event log
// ([ServiceNowEventLog]) or an audit export.
func ServiceNowIncidents() *Mapping {
	return &Mapping{
		Record:   TicketRecords,
		Encoding: "utf-8",
		Columns: Columns{
			ID:       "number|Number",
			Kind:     "sys_class_name|Task type|Class",
			Priority: "priority|Priority",
			Service:  "business_service|Service|cmdb_ci|Configuration item",
			Category: "category|Category",
			Group:    "assignment_group|Assignment group",
			Opened:   "opened_at|Opened",
			Resolved: "resolved_at|Resolved",
			Closed:   "closed_at|Closed",
			Status:   "state|State|incident_state|Incident state",
			Problem:  "problem_id|Problem",
			// The counts of the list export, when its columns are chosen.
			ReopenCount:       "reopen_count|Reopen count",
			ReassignmentCount: "reassignment_count|Reassignment count",
		},
		Defaults:         Columns{Kind: "incident"},
		Dates:            []string{"iso", "dmy"},
		Kinds:            serviceNowKinds(),
		PauseStatuses:    serviceNowPauses(),
		ResolvedStatuses: []string{"Resolved"},
		ClosedStatuses:   []string{"Closed", "Canceled", "Cancelled"},
	}
}

// ServiceNowEventLog reads an incident event log in the shape of the
// public UCI "Incident management process enriched event log": one row
// per update of an incident, with the columns number, incident_state,
// active, reassignment_count, reopen_count, sys_mod_count, made_sla,
// caller_id, opened_by, opened_at, sys_created_by, sys_created_at,
// sys_updated_by, sys_updated_at, contact_type, location, category,
// subcategory, u_symptom, cmdb_ci, impact, urgency, priority,
// assignment_group, assigned_to, knowledge, u_priority_confirmation,
// notify, problem_id, rfc, vendor, caused_by, closed_code, resolved_by,
// resolved_at, closed_at.
//
// It maps number → ID, incident_state → Status (history), sys_updated_at
// → the update instant, sys_mod_count → the tie-break between updates of
// the same minute, reopen_count → reopenings and ReopenCount,
// reassignment_count → ReassignmentCount, opened_at, resolved_at,
// closed_at, priority ("2 - High" → P2), category, assignment_group →
// Group, cmdb_ci → Service, problem_id → a problem link; the other
// columns go to Attrs with their last known value. Missing values are
// written "?". Dates are day first, "dd-mm-yyyy hh:mm" or, as in the
// published file, "29/2/2016 01:16" (one-digit day and month). The
// Awaiting User Info, Awaiting Vendor, Awaiting Problem and Awaiting
// Evidence states pause the clocks; Resolved and Closed end them, and
// leaving them is a reopening. The published file carries the final
// resolved_at and closed_at on every row of an incident, which the
// last-known-value rule handles as it should.
func ServiceNowEventLog() *Mapping {
	return &Mapping{
		Record:   TicketRecords,
		EventLog: true,
		Encoding: "utf-8",
		Columns: Columns{
			ID:                "number",
			Status:            "incident_state",
			Updated:           "sys_updated_at",
			Sequence:          "sys_mod_count",
			ReopenCount:       "reopen_count",
			ReassignmentCount: "reassignment_count",
			Opened:            "opened_at",
			Resolved:          "resolved_at",
			Closed:            "closed_at",
			Priority:          "priority",
			Category:          "category",
			Group:             "assignment_group",
			Service:           "cmdb_ci",
			Problem:           "problem_id",
		},
		Defaults:         Columns{Kind: "incident"},
		Dates:            []string{"dmy", "iso"},
		Missing:          []string{"?", "", "NULL", "N/A"},
		PauseStatuses:    []string{"Awaiting User Info", "Awaiting Vendor", "Awaiting Problem", "Awaiting Evidence"},
		ResolvedStatuses: []string{"Resolved"},
		ClosedStatuses:   []string{"Closed"},
	}
}

// GLPITickets reads GLPI's ticket list export (Assistance → Tickets →
// export CSV), which uses the search columns' labels, in English or
// French, separated by ';' (detected), or a SQL or API dump of
// glpi_tickets by field names.
//
// Assumed columns: ID (id), Type (type: 1 incident, 2 request), Priority
// / Priorité (priority), Status / Statut (status, 1–6), Category /
// Catégorie (itilcategories_id), Technician group / Groupe de techniciens
// (groups_id_assign), Opening date / Date d'ouverture (date), Resolution
// date / Date de résolution (solvedate), Closing date / Date de clôture
// (closedate), takeintoaccount_date, Satisfaction. Dates are GLPI's
// "yyyy-mm-dd hh:mm" or "dd-mm-yyyy hh:mm" user formats; the US
// "mm-dd-yyyy" format needs Dates: ["mdy"].
//
// GLPI has six priorities; the preset numbers them from the top, so
// that no two share a name: Major = P1, Very high = P2, High = P3,
// Medium = P4, Low = P5, Very low = P6. A contract that calls GLPI's
// "Very high" P1 needs its own priorities. Statuses are given GLPI's
// English names whatever the export's language or form (code, French
// label), so that a contract names them once: New, Processing
// (assigned), Processing (planned), Pending, Solved, Closed. Pending
// pauses the clocks; Solved and Closed end them.
func GLPITickets() *Mapping {
	return &Mapping{
		Record:   TicketRecords,
		Encoding: "utf-8",
		Columns: Columns{
			ID:           "ID|id",
			Kind:         "Type|type",
			Priority:     "Priority|Priorité|priority",
			Status:       "Status|Statut|status",
			Category:     "Category|Catégorie|itilcategories_id",
			Group:        "Technician group|Groupe de techniciens|Assigned to - Group|Attribué à - Groupe|groups_id_assign",
			Opened:       "Opening date|Date d'ouverture|date",
			Acknowledged: "takeintoaccount_date",
			Resolved:     "Resolution date|Date de résolution|solvedate",
			Closed:       "Closing date|Date de clôture|closedate",
			Satisfaction: "Satisfaction|satisfaction",
		},
		Dates: []string{"iso", "dmy"},
		Kinds: map[string]string{
			"1": "incident", "Incident": "incident",
			"2": "request", "Request": "request", "Demande": "request",
		},
		Priorities: map[string]string{
			"6": "P1", "Major": "P1", "Majeure": "P1",
			"5": "P2", "Very high": "P2", "Très haute": "P2",
			"4": "P3", "High": "P3", "Haute": "P3",
			"3": "P4", "Medium": "P4", "Moyenne": "P4",
			"2": "P5", "Low": "P5", "Basse": "P5",
			"1": "P6", "Very low": "P6", "Très basse": "P6",
		},
		PrioritiesStrict: true,
		Statuses: map[string]string{
			"1": "New", "2": "Processing (assigned)", "3": "Processing (planned)",
			"4": "Pending", "5": "Solved", "6": "Closed",
			"Nouveau": "New", "En cours (Attribué)": "Processing (assigned)",
			"En cours (Planifié)": "Processing (planned)", "En attente": "Pending",
			"Résolu": "Solved", "Clos": "Closed",
		},
		PauseStatuses:    []string{"Pending"},
		ResolvedStatuses: []string{"Solved"},
		ClosedStatuses:   []string{"Closed"},
	}
}

// ITopTickets reads an iTop export of UserRequest or Incident objects
// (export.php or the CSV export of a list) whose column headers are
// iTop's attribute codes, not their localised labels: ref, finalclass
// (UserRequest → request, Incident → incident), priority (1 critical to
// 4 low → P1–P4), status (new, assigned, pending, resolved, closed…),
// service_name, servicesubcategory_name (Category), team_id_friendlyname
// (Group), start_date (Opened), assignment_date (Acknowledged),
// resolution_date, close_date, user_satisfaction, parent_problem_ref.
// Dates are "yyyy-mm-dd hh:mm:ss".
//
// iTop's user_satisfaction runs from 1 (very satisfied) to 4 (very
// dissatisfied): it is read as is, so a contract's satisfaction rule must
// read it that way. Without a finalclass column the kind is left empty:
// set Defaults.Kind for an export of one class. The "pending" status
// pauses the clocks, as iTop's own SLT computation does.
func ITopTickets() *Mapping {
	return &Mapping{
		Record:   TicketRecords,
		Encoding: "utf-8",
		Columns: Columns{
			ID:           "ref",
			Kind:         "finalclass",
			Priority:     "priority",
			Status:       "status",
			Service:      "service_name|service_id_friendlyname",
			Category:     "servicesubcategory_name|servicesubcategory_id_friendlyname",
			Group:        "team_id_friendlyname|team_name",
			Opened:       "start_date",
			Acknowledged: "assignment_date",
			Resolved:     "resolution_date",
			Closed:       "close_date",
			Satisfaction: "user_satisfaction",
			Problem:      "parent_problem_ref|parent_problem_id_friendlyname",
		},
		Dates: []string{"iso", "dmy"},
		Kinds: map[string]string{"UserRequest": "request", "Incident": "incident", "Problem": "problem"},
		Priorities: map[string]string{
			"critical": "P1", "high": "P2", "medium": "P3", "low": "P4",
			"critique": "P1", "haute": "P2", "moyenne": "P3", "basse": "P4",
		},
		PauseStatuses:    []string{"pending"},
		ResolvedStatuses: []string{"resolved"},
		ClosedStatuses:   []string{"closed", "rejected"},
	}
}

// JiraServiceManagement reads Jira's issue export ("Export CSV (all
// fields)" or "current fields"), which starts with a byte order mark,
// repeats some headers (Labels, Watchers…), and writes dates as
// "25/Feb/26 10:17 PM" in the exporting user's zone.
//
// Assumed columns: Issue key, Issue Type (Incident, Service Request… →
// incident, request, problem, change), Priority (Highest P1, High P2,
// Medium P3, Low P4, Lowest P5; the older Blocker, Critical, Major,
// Minor, Trivial likewise), Status, Created, Resolved, "Custom field
// (Affected services)" (Service), "Custom field (Request Type)"
// (Category), "Custom field (Team)" (Group), "Satisfaction rating" or
// "Custom field (Satisfaction rating)". Jira exports no closing date.
// "Waiting for customer" and "Pending" pause the clocks, as in the
// default JSM SLAs; Resolved, Done, Closed, Canceled end them.
func JiraServiceManagement() *Mapping {
	return &Mapping{
		Record:   TicketRecords,
		Encoding: "utf-8",
		Columns: Columns{
			ID:           "Issue key|key",
			Kind:         "Issue Type|issuetype|fields.issuetype.name",
			Priority:     "Priority|priority|fields.priority.name",
			Status:       "Status|status|fields.status.name",
			Opened:       "Created|created|fields.created",
			Resolved:     "Resolved|resolutiondate|fields.resolutiondate",
			Service:      "Custom field (Affected services)|Affected services",
			Category:     "Custom field (Request Type)|Custom field (Customer Request Type)|Request Type",
			Group:        "Custom field (Team)|Team",
			Satisfaction: "Satisfaction rating|Custom field (Satisfaction rating)|Custom field (Satisfaction)",
		},
		Dates: []string{"2/Jan/06 3:04 PM", "2/Jan/06 15:04", "iso", "dmy"},
		Kinds: map[string]string{
			"Incident": "incident", "Service Request": "request",
			"Service Request with Approvals": "request", "IT Help": "request",
			"Problem": "problem", "Change": "change", "Emergency Change": "change",
		},
		Priorities: map[string]string{
			"Highest": "P1", "High": "P2", "Medium": "P3", "Low": "P4", "Lowest": "P5",
			"Blocker": "P1", "Critical": "P2", "Major": "P3", "Minor": "P4", "Trivial": "P5",
		},
		PauseStatuses:    []string{"Waiting for customer", "Pending"},
		ResolvedStatuses: []string{"Resolved", "Done", "Completed"},
		ClosedStatuses:   []string{"Closed", "Canceled", "Cancelled", "Declined"},
	}
}
