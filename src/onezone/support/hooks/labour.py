"""Sidebar sections, landing panels, sweeps and portal sections this area registers (imported in ready())."""
