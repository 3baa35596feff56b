// Package adjust applies the item-level decisions a contract's steering
// committee agrees on before the figures are computed: this incident
// excluded as caused by the client, that one reclassified P2. A file of
// adjustments (YAML or CSV) names each item, the decision, its reason,
// who agreed and when; [Set.Apply] applies them to an evaluation's input
// as it streams, and [Applied] says what each matched once the input has
// been read.
//
// An excluded record is left out of every rule whose scope takes it,
// counted excluded for "agreed: " and the reason; a reclassified one is
// evaluated with its new fields, and the report lists it, when missed,
// with what was decided (sla.MissedItem.Adjustment). An adjustment that
// matches no record is named in the report's warnings
// ([Applied.Annotate]), and every adjustment, with the records it
// matched, in its provenance.
//
//	set, err := adjust.Load("adjustments-2027-05.yaml")
//	if err != nil {
//		return err // every error of the file, placed in it
//	}
//	in, applied := set.Apply(sla.Input{Tickets: tickets})
//	rep, err := sla.Evaluate(ctx, c, in)
//	if err != nil {
//		return err
//	}
//	applied.Annotate(rep)
package adjust
