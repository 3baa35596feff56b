// Package civil counts civil days: the date of an instant in a zone, and
// the days between two dates in the units French public contracts use
// (calendar days, jours ouvrés, jours ouvrables):
//
//	fr, _ := calendar.Holidays("FR")
//	n, err := civil.Between(deadline, delivered, paris, civil.MondayFriday, fr)
package civil
