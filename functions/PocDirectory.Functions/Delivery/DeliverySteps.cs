namespace PocDirectory.Functions.Delivery;

/// <summary>The messages of a delivery, in the order they are sent: the message itself, then each reminder.</summary>
public static class DeliverySteps
{
    public const int First = 0;

    /// <summary>Names of the steps besides the sends, as a failure reports them.</summary>
    public const string Snapshot = "Snapshot";

    public const string Escalation = "Escalation";

    public const string Report = "Report";

    /// <summary>"Escalation" for level 0, "Escalation 2" for level 1, and so on.</summary>
    public static string EscalationName(int level) => level == 0 ? Escalation : $"{Escalation} {level + 1}";

    /// <summary>"Ping" (the delivery's <paramref name="firstName"/>) for step 0, "Reminder 1" for step 1, and so on.</summary>
    public static string Name(int step, string firstName) => step == First ? firstName : $"Reminder {step}";
}
