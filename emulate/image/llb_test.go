package image

import (
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// rootChain marshals a state and returns its ops from the source of the
// root filesystem to the last op, following each exec's / mount and each
// file op's first input: the layers of the image in order.
func rootChain(t *testing.T, st llb.State) []*pb.Op {
	t.Helper()
	def, err := st.Marshal(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ops := map[digest.Digest]*pb.Op{}
	var last *pb.Op
	for _, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			t.Fatal(err)
		}
		ops[digest.FromBytes(dt)] = &op
		last = &op
	}
	// The last op of a definition only points at the result.
	cur := ops[digest.Digest(last.Inputs[0].Digest)]
	var chain []*pb.Op
	for cur != nil {
		chain = append([]*pb.Op{cur}, chain...)
		next := -1
		switch {
		case cur.GetExec() != nil:
			for _, m := range cur.GetExec().GetMounts() {
				if m.GetDest() == "/" {
					next = int(m.GetInput())
				}
			}
		case cur.GetFile() != nil:
			next = int(cur.GetFile().GetActions()[0].GetInput())
		}
		if next < 0 || next >= len(cur.Inputs) {
			break
		}
		cur = ops[digest.Digest(cur.Inputs[next].Digest)]
	}
	return chain
}

// mountAt returns an exec op's mount at dest.
func mountAt(exec *pb.ExecOp, dest string) *pb.Mount {
	for _, m := range exec.GetMounts() {
		if m.GetDest() == dest {
			return m
		}
	}
	return nil
}
