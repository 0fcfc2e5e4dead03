//go:build !race

package workflow

const raceOn = false
