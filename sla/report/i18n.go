package report

import (
	"fmt"
	"strings"
)

// tr is a text of the report in the format's language: French for the
// French locale, English otherwise. The engine's own texts (trace notes,
// exclusion reasons, warnings) and the contract's (rule names,
// objectives) are data, and read as they were written.
func (f Format) tr(text string) string {
	if f.Locale.language() == French {
		if t, ok := french[text]; ok {
			return frenchSpaces.Replace(t)
		}
	}
	return text
}

// frenchSpaces glues a colon and a semicolon to the word before them, as
// French typography does (a no-break space before ":", a narrow one
// before ";"), so that no line of a wrapped paragraph starts with them.
var frenchSpaces = strings.NewReplacer(" :", nbsp+":", " ;", nnbsp+";")

// colon is ": " after a word, in the locale's typography ("INC-P1 : "
// with a no-break space in French); semicolon is "; " between items.
func (f Format) colon() string {
	if f.Locale.language() == French {
		return nbsp + ": "
	}
	return ": "
}

func (f Format) semicolon() string {
	if f.Locale.language() == French {
		return nnbsp + "; "
	}
	return "; "
}

// trf is tr of a format string, then its values put in.
func (f Format) trf(format string, args ...any) string {
	return fmt.Sprintf(f.tr(format), args...)
}

// french is the French of every English text of the reports, keyed by
// the English (a format string where the text has values). It is read,
// never written. A test checks that every text the renderers pass to tr
// has its entry, with the same verbs.
var french = map[string]string{
	// The header and the sections.
	"SLA report":                            "Rapport de niveaux de service",
	"Contract":                              "Contrat",
	"File":                                  "Fichier",
	"Periods":                               "Périodes",
	" to ":                                  " à ",
	"none":                                  "aucune",
	"As of":                                 "Données au",
	"Currency":                              "Devise",
	"Summary":                               "Synthèse",
	"Rules":                                 "Règles",
	"Charts":                                "Graphiques",
	"Totals":                                "Totaux",
	"Records":                               "Enregistrements",
	"Warnings":                              "Avertissements",
	"Rule errors":                           "Erreurs de règles",
	"None.":                                 "Néant.",
	"Net due":                               "Net dû",
	"Penalties":                             "Pénalités",
	"Bonuses":                               "Bonus",
	"Net":                                   "Net",
	"Due for %s":                            "Dû pour %s",
	"Invoice: %s":                           "Facture : %s",
	"Warning: %s":                           "Avertissement : %s",
	"Excluded: %s.":                         "Exclus : %s.",
	"No period was evaluated.":              "Aucune période n’a été évaluée.",
	"No rule was evaluated in this period.": "Aucune règle n’a été évaluée sur cette période.",
	"No record was read.":                   "Aucun enregistrement n’a été lu.",
	"Rejected records":                      "Enregistrements rejetés",
	"Service levels":                        "Niveaux de service",
	"Penalty pipeline":                      "Calcul des pénalités",
	"Missed items of the rules breached":    "Éléments hors délai des règles non respectées",
	"Missed items of the rules breached or charged": "Éléments hors délai des règles non respectées ou pénalisées",
	", contract year ": ", année contractuelle ",
	" (provisional)":   " (provisoire)",
	"Penalties and bonuses are due after every step of the contract's pipeline; net is what the provider owes (negative: a bonus paid).": "Pénalités et bonus dus après chaque étape du calcul prévu au contrat ; le net est ce que doit le prestataire (négatif : un bonus versé).",
	" A provisional period had not ended at the instant the data describes: its figures may still change.":                               " Une période provisoire n’était pas terminée à la date des données : ses chiffres peuvent encore changer.",
	"Provisional: the period ends on %s, after the instant the data describes (%s). Its figures may still change.":                       "Provisoire : la période se termine le %s, après la date des données (%s). Ses chiffres peuvent encore changer.",
	"elig: items counted; miss: items that missed; excl: items excluded; raw: the penalty as the rule's formulas give it, before the pipeline; amounts to the cent (the pipeline's trace and the JSON report keep them exact); blank amounts are zero; n/a: not applicable (nothing measured, or too few items).": "élig : éléments comptés ; manq : éléments hors objectif ; excl : éléments exclus ; brut : la pénalité que donnent les formules de la règle, avant le calcul ; montants au centime (la trace du calcul et le rapport JSON les gardent exacts) ; un montant vide est nul ; s.o. : sans objet (rien de mesuré, ou trop peu d’éléments).",
	" An objective that names its measure (missed ≤ 1) is the one that applies below the rule's minimum volume.":                    " Un objectif qui nomme sa mesure (missed ≤ 1) est celui qui s’applique sous le volume minimal de la règle.",
	" no data: the records of the rule's source were not given, so the rule was not evaluated and carries no penalty and no bonus.": " sans données : les enregistrements de la source de la règle n’ont pas été fournis ; la règle n’est pas évaluée et ne porte ni pénalité ni bonus.",
	"at: the instant that placed the item in this period (a ticket's resolution, a call's offer, an outage's start, unless the rule names another); measured: the open time its clock ran, the call's wait or the outage's duration, to the second, rounded up; deadline: when its clock ran out; late: open time beyond the deadline, rounded up to the second; (open): still running at the end of the period.": "le : l’instant qui place l’élément dans cette période (la résolution d’un ticket, la présentation d’un appel, le début d’une panne, sauf si la règle en nomme un autre) ; mesuré : le temps ouvré décompté, l’attente de l’appel ou la durée de la panne, à la seconde supérieure ; échéance : l’instant où le délai a expiré ; retard : temps ouvré au-delà de l’échéance, à la seconde supérieure ; (ouvert) : encore en cours à la fin de la période.",
	"%s: %d of %d missed items listed": "%s : %d éléments hors objectif listés sur %d",
	"Excluded items":                   "Éléments exclus",
	"at: the instant that placed the item in this period; reason: the exclusion that left it out of the rule (agreed: one both parties agreed).": "le : l’instant qui place l’élément dans cette période ; motif : l’exclusion qui l’a écarté de la règle (agreed : convenue entre les parties).",
	" Short abandons are counted among the excluded items, not listed.":                                                                          " Les abandons courts sont comptés parmi les éléments exclus, sans être listés.",
	"%s: %d of %d excluded items listed": "%s : %d éléments exclus listés sur %d",
	"group of %s":                        "groupe de %s",
	"group":                              "groupe",
	"Every record read is counted by some rule or work unit, excluded, or rejected: read = counted + excluded + rejected.": "Chaque enregistrement lu est compté par une règle ou une unité d’œuvre, exclu ou rejeté : lus = comptés + exclus + rejetés.",
	"The accounting does not add up: %s.":                          "Le décompte ne tombe pas juste : %s.",
	"%s: %d read, but %d counted + %d excluded + %d rejected = %d": "%s : %d lus, mais %d comptés + %d exclus + %d rejetés = %d",

	// Table headers and cells.
	"period":                 "période",
	"contract year":          "année contractuelle",
	"contract year ":         "année contractuelle ",
	"invoice":                "facture",
	"penalties":              "pénalités",
	"bonuses":                "bonus",
	"net":                    "net",
	"total":                  "total",
	"rule":                   "règle",
	"objective":              "objectif",
	"name":                   "nom",
	"unit":                   "unité",
	"quantity":               "quantité",
	"unit price":             "prix unitaire",
	"amount":                 "montant",
	"revision":               "révision",
	"bands":                  "tranches",
	"fixed":                  "forfait",
	"from %s":                "dès %s",
	"band %s":                "tranche %s",
	"elig":                   "élig",
	"met":                    "respecté",
	"miss":                   "manq",
	"excl":                   "excl",
	"achieved":               "atteint",
	"status":                 "statut",
	"raw":                    "brut",
	"penalty":                "pénalité",
	"bonus":                  "bonus",
	"step":                   "étape",
	"before":                 "avant",
	"after":                  "après",
	"note":                   "note",
	"(period)":               "(période)",
	"item":                   "élément",
	"at":                     "le",
	"measured":               "mesuré",
	"wait ":                  "attente\u00a0",
	"deadline":               "échéance",
	"late":                   "retard",
	" (open)":                " (ouvert)",
	" (open at period end)":  " (ouvert en fin de période)",
	" (adjusted)":            " (ajusté)",
	" (price from %s)":       " (prix du %s)",
	" (version from %s)":     " (version du %s)",
	"Agreed adjustments":     "Ajustements convenus",
	"decision":               "décision",
	"reason":                 "motif",
	"agreed by":              "convenu par",
	"date":                   "date",
	"records":                "enregistrements",
	" (open when extracted)": " (ouvert à l’extraction)",
	"Fields the reader inferred rather than read (a resolution taken from the status history): %s.": "Champs déduits par la lecture plutôt que lus (une résolution tirée de l’historique des statuts) : %s.",
	"source":       "source",
	"read":         "lus",
	"counted":      "comptés",
	"excluded":     "exclus",
	"rejected":     "rejetés",
	"why excluded": "motifs d’exclusion",
	"line":         "ligne",
	"column":       "colonne",
	"id":           "id",
	"error":        "erreur",

	// Statuses.
	"BREACHED": "NON RESPECTÉ",
	"n/a":      "s.o.",
	"no data":  "sans données",
	"breached": "non respecté",

	// The steps of the pipeline.
	"observation": "période d’observation",
	"franchise":   "franchise",
	"repeat":      "récidive",
	"rounding":    "arrondi",
	"rule caps":   "plafond de règle",
	"rule cap":    "plafond de règle",
	"month cap":   "plafond mensuel",
	"year cap":    "plafond annuel",
	"netting":     "compensation",
	"bonus cap":   "plafond des bonus",
	" (bonus)":    " (bonus)",

	// The measures, as the charts name their axis.
	"share":          "part",
	"count":          "nombre",
	"missed":         "hors objectif",
	"mean":           "moyenne",
	"median":         "médiane",
	"percentile":     "centile",
	"sum":            "somme",
	"min":            "minimum",
	"max":            "maximum",
	"availability":   "disponibilité",
	"answer rate":    "taux de décroché",
	"abandon rate":   "taux d’abandon",
	"service level":  "niveau de service",
	"asa":            "attente moyenne",
	"fcr":            "résolution au premier appel",
	"not applicable": "sans objet",

	// Charts.
	"Service levels: achieved against objective":      "Niveaux de service : atteint et objectif",
	"Penalties and bonuses due per period, by rule":   "Pénalités et bonus dus par période, par règle",
	" %s: penalties %s, bonuses %s, net %s.":          " %s : pénalités %s, bonus %s, net %s.",
	"%s, %s: penalty %s":                              "%s, %s : pénalité %s",
	"%s, %s: bonus %s":                                "%s, %s : bonus %s",
	"%s: net due %s":                                  "%s : net dû %s",
	"%s: from raw penalties to the amount due":        "%s : des pénalités brutes au montant dû",
	"No penalty or bonus is due in any period.":       "Aucune pénalité ni aucun bonus n’est dû sur aucune période.",
	"bonus (below the axis)":                          "bonus (sous l’axe)",
	"net due":                                         "net dû",
	"raw penalties, as the rules' formulas give them": "pénalités brutes, telles que les donnent les formules des règles",
	"other":                            "autre",
	"not explained by the trace lines": "non expliqué par la trace",
	"due":                              "dû",
	"penalties due":                    "pénalités dues",
	"bonuses set off":                  "bonus compensés",
	"bonuses set off, after their cap": "bonus compensés, après leur plafond",
	"lowers":                           "baisse",
	"raises":                           "hausse",
	"flagged":                          "signalé",
	"Rendered by pacte.":               "Produit par pacte.",
}
