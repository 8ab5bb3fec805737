namespace Berth.Runtime.Images;

/// <summary>Names of the steps of an environment image build, as reported in failures and logs.</summary>
public static class BuildSteps
{
    /// <summary>Making, pulling or finding the base image.</summary>
    public const string Base = "base";

    /// <summary>Installing the apt packages.</summary>
    public const string Apt = "apt";

    /// <summary>Installing the pip packages into the image's virtual environment.</summary>
    public const string Pip = "pip";

    /// <summary>Installing the npm packages globally.</summary>
    public const string Npm = "npm";

    /// <summary>Running the setup script with <c>bash -e</c> as root.</summary>
    public const string SetupScript = "setup_script";

    /// <summary>An operation around the steps (create, start, commit) that the container runtime refused.</summary>
    public const string Runtime = "runtime";
}
