package calendar

// UTCYearForTest exposes utcYear to the external tests.
var UTCYearForTest = utcYear
