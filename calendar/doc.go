// Package calendar computes business time: open windows per weekday in a
// time zone, less holidays, with dated exceptions.
//
// Every SLA clock in pacte stands on it: "restored within 4 hours of HE
// time" is [Calendar.Add], "45 hours of HO time" is [Calendar.Between],
// "by the end of the third open day" is [Calendar.EndOfOpenDay] (and the
// open time it allows, [Calendar.OpenDaysBudget]).
//
// A calendar is written as a one-line spec (see [Parse]) or built with
// [New]:
//
//	ho, err := calendar.Parse("mon-fri 08:00-12:30,13:30-18:00; holidays FR; closed every 12-24 14:00-24:00; tz Europe/Paris")
//	open := ho.Between(opened, resolved)        // open time in [opened, resolved)
//	deadline := ho.Add(opened, 4*time.Hour)      // earliest instant with 4 h of open time
//	hno := ho.Complement()                       // heures non ouvrées
//
// # Time
//
// Windows are local wall-clock times and days step by civil date, never
// by adding 24 hours: a daylight-saving day is 23 or 25 hours long, and a
// 24x7 calendar counts them so. A window bound that a change skips or
// repeats maps to the earliest instant at which the local clock reads that
// time or later: a bound inside a skipped hour is the instant of the
// change, a repeated one its first occurrence (the tests check every
// change of Europe/Paris and America/New_York from 2020 to 2040).
// Answers do not depend on the [time.Location] of the arguments: instants
// are instants. Windows are half-open: open at their start, closed at
// their end.
//
// # Holidays
//
// Holiday sets come from github.com/rickar/cal/v2 by ISO code (FR, DE,
// US…, and subdivisions where cal has them, such as DE-BY), plus the
// French days cal lacks: Alsace-Moselle (FR-57, FR-67, FR-68: Good Friday
// and 26 December) and the abolition days of the overseas departments
// (FR-971 to FR-976). A subdivision includes its country's national days.
// Holidays close the whole day; they are observed on the day the country
// observes them (a Sunday holiday moved to Monday, where cal says so).
//
// # Speed and concurrency
//
// A calendar builds, on first use of each civil year, a table of the
// open spans and cumulative open time of every day. Between is then two
// lookups and a subtraction, Add a binary search: both are O(1) in the
// span and allocate nothing. Tables are built lazily, published with
// atomic pointers and shared by all goroutines; a [Calendar] is immutable
// and safe for concurrent use. The years computed are [MinYear] to
// [MaxYear]; instants outside are clamped, and searches that find nothing
// in that range return [Never].
package calendar
