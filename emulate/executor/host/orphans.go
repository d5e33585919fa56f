package host

// orphan is a process a job's steps left running.
type orphan struct {
	pid  int
	name string
}
