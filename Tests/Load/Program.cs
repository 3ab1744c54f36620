using XmppGroupChat.Load;

// One program, two roles: the load driver, and the bare "ceiling" component the driver starts as
// a child process (so its CPU time can be read from /proc like that of any other component).
if (args.Length > 0 && args[0] == CeilingComponent.Mode)
    return await CeilingComponent.RunAsync(args[1..]);

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
return await LoadDriver.RunAsync(options);
