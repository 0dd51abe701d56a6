package main

import (
	"fmt"
	"time"
)

// cpuSampler takes CPU readings of the server, its database, the load generator and the whole
// machine at the edges of a measured window.
type cpuSampler struct {
	fs         procFS
	serverPID  int // 0: not known, server CPU is not reported
	postmaster int // 0: not known, database CPU is not reported
}

// cpuSnapshot is one reading. The *Err fields say why a part is missing.
type cpuSnapshot struct {
	At        time.Time
	Server    procCPU
	ServerErr error
	DBNs      int64
	DBProcs   int
	DBErr     error
	ClientNs  int64
	Machine   cpuTimes
	MachErr   error
}

func (s *cpuSampler) sample() cpuSnapshot {
	snap := cpuSnapshot{At: time.Now(), ClientNs: selfCPU()}
	if s.serverPID > 0 {
		snap.Server, snap.ServerErr = s.fs.cpu(s.serverPID)
	} else {
		snap.ServerErr = fmt.Errorf("server pid unknown")
	}
	if s.postmaster > 0 {
		snap.DBNs, snap.DBProcs, snap.DBErr = s.fs.pgCPU(s.postmaster)
	} else {
		snap.DBErr = fmt.Errorf("postmaster pid unknown")
	}
	snap.Machine, snap.MachErr = s.fs.machineCPU()
	return snap
}

// cpuUsage is what was used between two snapshots; nil fields were not measured.
type cpuUsage struct {
	ServerNs     *int64
	ServerMethod string // "schedstat" or "stat"
	DBNs         *int64
	DBProcs      int
	ClientNs     int64
	MachineBusy  *float64 // percent of all CPUs busy, any process
	// OtherBusy is the percent of all CPUs used by anything but the server, its database and
	// the load generator: other work on the machine that skews the figures.
	OtherBusy *float64
	Problems  []string
}

func usageBetween(a, b cpuSnapshot) cpuUsage {
	u := cpuUsage{ClientNs: b.ClientNs - a.ClientNs, DBProcs: b.DBProcs}
	switch {
	case a.ServerErr != nil:
		u.Problems = append(u.Problems, "server cpu: "+a.ServerErr.Error())
	case b.ServerErr != nil:
		u.Problems = append(u.Problems, "server cpu: "+b.ServerErr.Error())
	case a.Server.Stat.StartTime != b.Server.Stat.StartTime:
		u.Problems = append(u.Problems, "server cpu: server pid was reused")
	default:
		ns, method := cpuDelta(a.Server, b.Server)
		u.ServerNs, u.ServerMethod = &ns, method
	}
	switch {
	case a.DBErr != nil:
		u.Problems = append(u.Problems, "db cpu: "+a.DBErr.Error())
	case b.DBErr != nil:
		u.Problems = append(u.Problems, "db cpu: "+b.DBErr.Error())
	default:
		u.DBNs = ptr(b.DBNs - a.DBNs)
	}
	if a.MachErr == nil && b.MachErr == nil && b.Machine.Total > a.Machine.Total {
		busy := float64(b.Machine.Busy-a.Machine.Busy) * float64(nsPerTick)
		total := float64(b.Machine.Total-a.Machine.Total) * float64(nsPerTick)
		u.MachineBusy = ptr(100 * busy / total)
		if u.ServerNs != nil && u.DBNs != nil {
			other := busy - float64(*u.ServerNs+*u.DBNs+u.ClientNs)
			u.OtherBusy = ptr(max(0, 100*other/total))
		}
	}
	return u
}
