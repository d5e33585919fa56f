// Package placement decides which BuildKit builder runs each job cell when
// a run is spread over several builders (issue 9), and says why. It is
// pure: the caller reads the fleet (BuildKit's Info, ListWorkers and disk
// usage of each builder), hands it to [New], and reports back what
// happens ([Placer.Finish], [Placer.Lost]); nothing here contacts a
// builder.
//
// # Rules
//
// [Placer.Place] applies them in this order:
//
//  1. A cell lost twice to a builder fails, because of the builder: [Fail].
//  2. Only builders whose workers run the cell's platform, that are
//     reachable and not lost, can take it. With none: [NoBuilder], naming
//     the platforms the reachable builders run and the builders that are
//     down ("no builder can run linux/arm64: the reachable builders run
//     linux/amd64"); a cell lost once with no other builder left: [Fail].
//  3. Of those, only builders with a free slot: capacity is jobs=N, else
//     the builder's CPUs, else one per worker. With none the cell waits
//     ([Wait]); the caller places it again when a slot frees and counts
//     the time as queue time.
//  4. Among builders with a free slot, affinity first: a warm pip cache for
//     the cell's dependency key counts 2, its image 1, so "holds image and
//     warm pip cache" beats "holds warm pip cache" beats "holds image". A
//     builder holds an image when its disk usage names the digest (the
//     cell's, or the one the record says it ran the reference at). Its pip
//     cache is warm for a key when the record says a cell with that key
//     ran there and the builder still reports the pip cache mount, made
//     before that entry: an entry older than the mount speaks of a cache
//     pruned since, and is not trusted.
//  5. Then the least loaded, by share of slots busy; then the builder given
//     first, so that ties are decided the same way every time.
//
// A warm builder that is full does not hold a cell back: it goes to a
// free builder, and the reason names the warm one ("...; b2 holds image
// and warm pip cache but is full"). A builder reported lost frees its
// slots; [Placer.Lost] returns its running cells and the caller places
// each again: the decision is then a retry that excludes the lost builder
// ("retried on b2 after b1 was lost: <why>; least loaded (0 of 4 slots
// busy)"). [Placer.Forecast] runs the same rules on a copy, for
// `plan --builders`.
//
// # The record
//
// [Record] is rehearse's memory of past placements, placement.json in the
// state directory ([LoadRecord], [Record.Save]): which builder ran which
// image (and at which digest) and which dependency key, and when. It is
// written atomically, holds the newest 1,000 entries, and a file that
// cannot be read starts an empty record with a warning, never a failure.
// [DependencyKey] computes the dependency key: a hash of the files that
// decide what pip installs (requirements, lock files, pyproject.toml),
// with the Python version.
//
// # Simulation
//
// sim_test.go models a fleet of 50 builders (40 amd64, 10 arm64; 225
// slots), 1,000 cells from 104 pushes of 60 projects arriving over 23
// minutes, a cold pip install of 150 s against 15 s warm, an image pull
// of 40 s, ten builders whose record entries are stale, and three builders
// lost mid-run. BenchmarkPlacementSimulation runs it through the Placer,
// least-loaded and (seeded) random placement; on this model:
//
//	strategy      mean queue  p95 queue  pip cache hits  image hits  makespan  retried
//	Placer          27.0 s     157 s        32.1%          79.7%      2186 s      9
//	least loaded    36.5 s     209 s        20.3%          80.7%      2168 s      8
//	random          38.7 s     230 s        19.2%          77.1%      2223 s      9
//
// Warm starts are shorter, so the fleet frees slots sooner and cells
// queue less, although affinity sometimes picks a busier builder. The
// makespan is set by the last push's cells and barely moves.
// TestSimulationPlacerBeatsBaselines holds the Placer to a higher pip
// cache hit rate than both and a mean queue time within 10% (+5 s) of
// least loaded.
package placement
