//go:build race

package workflow

// raceOn: the race detector drops sync.Pool items at random, so what a
// pool saves is measured without it.
const raceOn = true
