// Package workspace lays out a run's directory, outside the user's
// repository, and gives every job a fresh copy of the repository as CI
// would check it out. Nothing here writes into the user's working tree.
package workspace
