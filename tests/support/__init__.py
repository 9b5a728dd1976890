"""Test support shared by every test package (no tests in here): the factory for plans
and records, starting our programs as processes, a real server, sites on it, the
protocol's JSON examples and a proxy that loses replies."""
