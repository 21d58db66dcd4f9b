using Flywheel.Evals.Xunit;

[assembly: AssemblyFixture(typeof(FlywheelSuite))]
