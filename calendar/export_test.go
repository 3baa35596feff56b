package calendar

// YearEstimateForTest exposes the year estimate of locate to the tests.
func YearEstimateForTest(u int64) int { return 1970 + int(floorDiv(u, secPerGregorianYear)) }
