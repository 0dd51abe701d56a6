//go:build race

package main

// raceDetector stretches the socket scenarios' windows in TestRunOnceAgainstFake: the
// detector slows a 200-socket burst past the usual window.
const raceDetector = true
