namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>Where the repository's samples and built programs are, found from the test assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>The built program (its dll) of Components/{project}, in the configuration the tests were built in.</summary>
    public static string ProgramDll(string project, string assemblyName)
    {
        // Tests/Integration/bin/<Configuration>/net10.0 -> the same configuration for the programs.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var dll = Path.Combine(Root, "Components", project, "bin", configuration, tfmDir.Name, assemblyName + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"build the solution first: {dll} is missing", dll);
        return dll;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "component.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("component.sln not found above " + AppContext.BaseDirectory);
    }
}
