using Flywheel.Build.Tasks.Tests.Support;

// Packing costs seconds: one package (one unique version) serves every test of the assembly.
[assembly: AssemblyFixture(typeof(TaskPackage))]
