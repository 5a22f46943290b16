package store

// RecordSort is a column that SearchRecords orders its results by. Every
// order ends with the load and the record's position in it, which together
// identify a record, so paging through a sorted search neither repeats nor
// skips a row while the matches do not change. Text columns compare in
// byte order on SQLite and in the database's collation on PostgreSQL.
type RecordSort string

// The record sort columns. Records without a competence date (SMIS has
// none) have an empty date and month, which sort before every other value.
const (
	// SortByDate orders by competence date (see RecordFilter.Dates), then
	// POD. The empty RecordSort means SortByDate.
	SortByDate RecordSort = "date"
	// SortByPOD orders by POD, then competence date.
	SortByPOD RecordSort = "pod"
	// SortByFlow orders by flow code (CodFlusso), then competence date
	// and POD.
	SortByFlow RecordSort = "flow"
	// SortByCompetence orders by competence month (MeseAnno, or the month
	// of the competence date), then POD and competence date.
	SortByCompetence RecordSort = "competence"
	// SortByLoad orders by load, then the record's position in it.
	SortByLoad RecordSort = "load"
)

// RecordSorts lists the record sort columns.
var RecordSorts = []RecordSort{SortByDate, SortByPOD, SortByFlow, SortByCompetence, SortByLoad}

// Valid reports whether s is one of the record sort columns or empty.
func (s RecordSort) Valid() bool {
	switch s {
	case "", SortByDate, SortByPOD, SortByFlow, SortByCompetence, SortByLoad:
		return true
	}
	return false
}
