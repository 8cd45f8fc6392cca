package search

// EstimateExactUpTo is the cap of _total=estimate (store.Query.TotalCap): the total is exact up
// to this many matches (a count that stops there) and an estimate above it, extrapolated by the
// store from a bounded sample of the type's resources; never a count of every match.
const EstimateExactUpTo = 1000
