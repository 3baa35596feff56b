package calendar

import (
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/nc"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// French holidays that rickar/cal does not define: the two extra days of
// Alsace-Moselle (local law of 1892 and 1924) and the commemorations of the
// abolition of slavery in the overseas departments (law of 1983, decree of
// 1983 as amended). Like cal's own tables they are plain values; the
// calendars built from them keep their own copies.
var (
	// VendrediSaint is Good Friday, a public holiday in Moselle, Bas-Rhin
	// and Haut-Rhin.
	VendrediSaint = aa.GoodFriday.Clone(&cal.Holiday{Name: "Vendredi saint", Type: cal.ObservancePublic})

	// SaintEtienne is 26 December, a public holiday in Moselle, Bas-Rhin
	// and Haut-Rhin.
	SaintEtienne = &cal.Holiday{Name: "Saint-Étienne", Type: cal.ObservancePublic, Month: time.December, Day: 26, Func: cal.CalcDayOfMonth}

	// AbolitionGuadeloupe is 27 May in Guadeloupe (FR-971).
	AbolitionGuadeloupe = abolition("Guadeloupe", time.May, 27)
	// AbolitionMartinique is 22 May in Martinique (FR-972).
	AbolitionMartinique = abolition("Martinique", time.May, 22)
	// AbolitionGuyane is 10 June in French Guiana (FR-973).
	AbolitionGuyane = abolition("Guyane", time.June, 10)
	// AbolitionReunion is 20 December in La Réunion (FR-974).
	AbolitionReunion = abolition("La Réunion", time.December, 20)
	// AbolitionMayotte is 27 April in Mayotte (FR-976).
	AbolitionMayotte = abolition("Mayotte", time.April, 27)
)

func abolition(where string, m time.Month, d int) *cal.Holiday {
	return &cal.Holiday{
		Name:      "Abolition de l'esclavage (" + where + ")",
		Type:      cal.ObservancePublic,
		Month:     m,
		Day:       d,
		StartYear: 1983,
		Func:      cal.CalcDayOfMonth,
	}
}

// HolidayCodes lists the codes [Holidays] knows, in order: ISO 3166-1
// country codes for the national days of every country rickar/cal
// defines, and ISO 3166-2 subdivision codes for the regional sets.
func HolidayCodes() []string {
	codes := make([]string, 0, len(holidaySets))
	for _, s := range holidaySets {
		codes = append(codes, s.code)
	}
	return codes
}

// Holidays returns a copy of the holidays observed in the place a code
// names, and whether the code is known. A subdivision code includes its
// country's national days: FR-67 (Bas-Rhin) is France's eleven days plus
// Good Friday and 26 December. Codes are case-insensitive.
func Holidays(code string) ([]*cal.Holiday, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	i, ok := slices.BinarySearchFunc(holidaySets, code, func(s holidaySet, c string) int { return strings.Compare(s.code, c) })
	if !ok {
		return nil, false
	}
	set := holidaySets[i]
	var out []*cal.Holiday
	if set.national != nil {
		out = append(out, cloneAll(set.national)...)
	}
	return append(out, cloneAll(set.days)...), true
}

func cloneAll(hs []*cal.Holiday) []*cal.Holiday {
	out := make([]*cal.Holiday, len(hs))
	for i, h := range hs {
		out[i] = h.Clone(nil)
	}
	return out
}

// holidaySet is one code of the table below; national, when set, is the
// country's list that a subdivision adds to.
type holidaySet struct {
	code     string
	national []*cal.Holiday
	days     []*cal.Holiday
}

// holidaySets is sorted by code (a test checks it). It holds only
// pointers to cal's tables and ours, and is never written to.
var holidaySets = []holidaySet{
	{code: "AR", days: ar.Holidays},
	{code: "AT", days: at.Holidays},
	{code: "AU-ACT", days: au.HolidaysACT},
	{code: "AU-NSW", days: au.HolidaysNSW},
	{code: "AU-NT", days: au.HolidaysNT},
	{code: "AU-QLD", days: au.HolidaysQLD},
	{code: "AU-SA", days: au.HolidaysSA},
	{code: "AU-TAS", days: au.HolidaysTAS},
	{code: "AU-VIC", days: au.HolidaysVIC},
	{code: "AU-WA", days: au.HolidaysWA},
	{code: "BE", days: be.Holidays},
	{code: "BG", days: bg.Holidays},
	{code: "BR", days: br.Holidays},
	{code: "CA", days: ca.Holidays},
	{code: "CH", days: ch.Holidays},
	{code: "CH-AG", days: ch.HolidaysAG},
	{code: "CH-AI", days: ch.HolidaysAI},
	{code: "CH-AR", days: ch.HolidaysAR},
	{code: "CH-BE", days: ch.HolidaysBE},
	{code: "CH-BL", days: ch.HolidaysBL},
	{code: "CH-BS", days: ch.HolidaysBS},
	{code: "CH-FR", days: ch.HolidaysFR},
	{code: "CH-GE", days: ch.HolidaysGE},
	{code: "CH-GL", days: ch.HolidaysGL},
	{code: "CH-GR", days: ch.HolidaysGR},
	{code: "CH-JU", days: ch.HolidaysJU},
	{code: "CH-LU", days: ch.HolidaysLU},
	{code: "CH-NE", days: ch.HolidaysNE},
	{code: "CH-NW", days: ch.HolidaysNW},
	{code: "CH-OW", days: ch.HolidaysOW},
	{code: "CH-SG", days: ch.HolidaysSG},
	{code: "CH-SH", days: ch.HolidaysSH},
	{code: "CH-SO", days: ch.HolidaysSO},
	{code: "CH-SZ", days: ch.HolidaysSZ},
	{code: "CH-TG", days: ch.HolidaysTG},
	{code: "CH-TI", days: ch.HolidaysTI},
	{code: "CH-UR", days: ch.HolidaysUR},
	{code: "CH-VD", days: ch.HolidaysVD},
	{code: "CH-VS", days: ch.HolidaysVS},
	{code: "CH-ZG", days: ch.HolidaysZG},
	{code: "CH-ZH", days: ch.HolidaysZH},
	{code: "CZ", days: cz.Holidays},
	{code: "DE", days: de.Holidays},
	{code: "DE-BB", days: de.HolidaysBB},
	{code: "DE-BE", days: de.HolidaysBE},
	{code: "DE-BW", days: de.HolidaysBW},
	{code: "DE-BY", days: de.HolidaysBY},
	{code: "DE-HB", days: de.HolidaysHB},
	{code: "DE-HE", days: de.HolidaysHE},
	{code: "DE-HH", days: de.HolidaysHH},
	{code: "DE-MV", days: de.HolidaysMV},
	{code: "DE-NI", days: de.HolidaysNI},
	{code: "DE-NW", days: de.HolidaysNW},
	{code: "DE-RP", days: de.HolidaysRP},
	{code: "DE-SH", days: de.HolidaysSH},
	{code: "DE-SL", days: de.HolidaysSL},
	{code: "DE-SN", days: de.HolidaysSN},
	{code: "DE-ST", days: de.HolidaysST},
	{code: "DE-TH", days: de.HolidaysTH},
	{code: "DK", days: dk.Holidays},
	{code: "ES", days: es.Holidays},
	{code: "FR", days: fr.Holidays},
	{code: "FR-57", national: fr.Holidays, days: []*cal.Holiday{VendrediSaint, SaintEtienne}},
	{code: "FR-67", national: fr.Holidays, days: []*cal.Holiday{VendrediSaint, SaintEtienne}},
	{code: "FR-68", national: fr.Holidays, days: []*cal.Holiday{VendrediSaint, SaintEtienne}},
	{code: "FR-971", national: fr.Holidays, days: []*cal.Holiday{AbolitionGuadeloupe}},
	{code: "FR-972", national: fr.Holidays, days: []*cal.Holiday{AbolitionMartinique}},
	{code: "FR-973", national: fr.Holidays, days: []*cal.Holiday{AbolitionGuyane}},
	{code: "FR-974", national: fr.Holidays, days: []*cal.Holiday{AbolitionReunion}},
	{code: "FR-976", national: fr.Holidays, days: []*cal.Holiday{AbolitionMayotte}},
	{code: "GB", days: gb.Holidays},
	{code: "GR", days: gr.Holidays},
	{code: "HR", days: hr.Holidays},
	{code: "IE", days: ie.Holidays},
	{code: "IT", days: it.Holidays},
	{code: "JP", days: jp.Holidays},
	{code: "LT", days: lt.Holidays},
	{code: "LV", days: lv.Holidays},
	{code: "MW", days: mw.Holidays},
	{code: "NC", days: nc.Holidays},
	{code: "NL", days: nl.Holidays},
	{code: "NO", days: no.Holidays},
	{code: "NZ", days: nz.Holidays},
	{code: "PL", days: pl.Holidays},
	{code: "RO", days: ro.Holidays},
	{code: "RU", days: ru.Holidays},
	{code: "SE", days: se.Holidays},
	{code: "SI", days: si.Holidays},
	{code: "SK", days: sk.Holidays},
	{code: "UA", days: ua.Holidays},
	{code: "US", days: us.Holidays},
	{code: "ZA", days: za.Holidays},
}
