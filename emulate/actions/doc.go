// Package actions knows which `uses:` actions rehearse emulates, which it
// refuses to run without --allow-deploy, and which it cannot run locally.
// The emulations themselves live one per file (checkout.go,
// setup_python.go, ...); registry.go is the single table that classifies a
// reference, so plan and run always agree.
package actions
