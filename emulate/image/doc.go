// Package image gives the container executor the root filesystem of each
// job as LLB: it parses image references, turns them into BuildKit
// sources, prepares them for GitHub's runner user, knows the default
// images of GitHub's Ubuntu labels, and imports a root filesystem
// directory as an OCI image layout once, so that later runs start from
// content-addressed, cached layers.
//
// References ([ParseRef]), as given to -P LABEL=REF:
//
//	docker-image://NAME[:TAG][@DIGEST]   a registry image (also the bare NAME[:TAG])
//	oci-layout://DIR[@sha256:DIGEST]     a local OCI image layout
//	rootfs://DIR                         a root filesystem directory
//
// [Load] makes a [Source]: the llb.State plus the [Requirements] a solve
// of it needs from the client (content stores for layouts, local
// directories for root filesystems). An executor merges the requirements
// of every job into its one client.SolveOpt ([Requirements.Apply]).
// The container executor loads the -P image or the label's [Default] and,
// for a runs-on job, applies [Prepare].
//
// Speed: a root filesystem sent with llb.Local costs seconds in every
// session; an image imported with [Import] (rehearse image import DIR)
// and run from its layout starts in tens of milliseconds once the daemon
// has unpacked it.
package image
