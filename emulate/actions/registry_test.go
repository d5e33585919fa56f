package actions

import "testing"

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, uses string
		with       map[string]string
		want       Kind
	}{
		{"checkout by tag", "actions/checkout@v4", nil, KindBuiltin},
		{"checkout pinned by sha", "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", nil, KindBuiltin},
		{"setup-python on a branch", "actions/setup-python@main", nil, KindBuiltin},
		{"cache restore sub-action", "actions/cache/restore@v4", nil, KindBuiltin},
		{"setup-uv", "astral-sh/setup-uv@v6", nil, KindBuiltin},
		{"owner case-insensitive", "Actions/Checkout@v4", nil, KindBuiltin},
		{"ssh deploy (tutorial contoh 3)", "appleboy/ssh-action@v1.0.0", nil, KindDeploy},
		{"heroku (tutorial contoh 5)", "akhileshns/heroku-deploy@v3.12.14", nil, KindDeploy},
		{"aws credentials (tutorial contoh 6)", "aws-actions/configure-aws-credentials@v4", nil, KindDeploy},
		{"ecr login", "aws-actions/amazon-ecr-login@v2", nil, KindDeploy},
		{"codecov upload", "codecov/codecov-action@v4", nil, KindDeploy},
		{"build-push with push", "docker/build-push-action@v5", map[string]string{"push": "true"}, KindDeploy},
		{"build-push without push", "docker/build-push-action@v5", nil, KindUnsupported},
		{"metadata action", "docker/metadata-action@v5", nil, KindUnsupported},
		{"local composite", "./.github/actions/hello", nil, KindLocal},
		{"docker image", "docker://alpine:3", nil, KindUnsupported},
		{"no ref", "foo/bar", nil, KindUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got := Classify(tc.uses, func(n string) string { return tc.with[n] })
			if got.Kind != tc.want {
				t.Errorf("Classify(%q) = %v (%s), want %v", tc.uses, got.Kind, got.Why, tc.want)
			}
			if got.Why == "" {
				t.Errorf("Classify(%q) gives no reason", tc.uses)
			}
		})
	}
}

func TestPublishingCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, script string
		want         bool
	}{
		{"twine upload", "python -m build\ntwine upload dist/*", true},
		{"twine check is fine", "twine check dist/*", false},
		{"docker push (tutorial contoh 6)", "docker build -t x .\ndocker push $ECR_REGISTRY/$ECR_REPOSITORY:$IMAGE_TAG", true},
		{"aws ecs update", "aws ecs update-service --cluster c --service s --force-new-deployment", true},
		{"git push after &&", "git commit -m x && git push origin main", true},
		{"git push in echo", `echo "then git push"`, false},
		{"commented out", "# git push\npytest", false},
		{"scp to host", "scp dist/app.tar.gz deploy@example.com:/srv", true},
		{"rsync local only", "rsync -a src/ build/", false},
		{"ssh to host", "ssh deploy@example.com 'systemctl restart app'", true},
		{"gh release", "gh release create v1.0", true},
		{"pytest", "pytest tests/ -v --cov=src", false},
		{"pip install", "pip install -r requirements.txt", false},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, got := PublishingCommand(tc.script)
			if got != tc.want {
				t.Errorf("PublishingCommand(%q) = %v, want %v", tc.script, got, tc.want)
			}
		})
	}
}

func TestMachineChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, script string
		want         int
	}{
		{"sudo apt-get", "sudo apt-get install -y libpq-dev", 2},
		{"ssh key setup (tutorial troubleshooting)", "mkdir -p ~/.ssh\necho \"$KEY\" > ~/.ssh/id_rsa", 1},
		{"plain test", "pytest tests/", 0},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := MachineChanges(tc.script); len(got) != tc.want {
				t.Errorf("MachineChanges(%q) = %q, want %d reasons", tc.script, got, tc.want)
			}
		})
	}
}
