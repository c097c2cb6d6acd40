using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Exercises;

[ApiTag("Exercises", "Simulation exercises: timed injects to players, answers by link, communication checks between States, the after-action report. Every message is marked EXERCISE.")]
public sealed class ExerciseFunctions(ApiHandler api, ExerciseService exercises)
{
    [Function(nameof(CreateExercise))]
    [ApiDoc("Creates a draft exercise with its players, controllers and inject timeline (Secretariat).", Request = typeof(ExerciseInput), Response = typeof(Exercise), ETag = true, SuccessStatus = 201, Idempotent = true)]
    public Task<IActionResult> CreateExercise([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exercises")] HttpRequest req)
        => api.RunCreateAsync<ExerciseInput>(req, async (caller, input) =>
        {
            var created = await exercises.CreateAsync(caller, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/exercises/{created.Value.Id}", created.Value).WithETag(created.ETag);
        });

    [Function(nameof(ListExercises))]
    [ApiDoc("Exercises, newest first: all for the Secretariat, those the caller controls for anyone else.", Response = typeof(ListPage<Exercise>))]
    public Task<IActionResult> ListExercises([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "exercises")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await exercises.ListAsync(caller, req.HttpContext.RequestAborted)));

    [Function(nameof(GetExercise))]
    [ApiDoc("One exercise with its injects and when each was delivered; the ETag header is the version to send back in If-Match.", Response = typeof(Exercise), ETag = true)]
    public Task<IActionResult> GetExercise([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "exercises/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => Versioned(await exercises.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(UpdateExercise))]
    [ApiDoc("Replaces a draft exercise.", Request = typeof(ExerciseInput), Response = typeof(Exercise), IfMatch = true, ETag = true)]
    [ApiProblem(409, "The exercise is running or ended: only a draft can be edited.")]
    public Task<IActionResult> UpdateExercise([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "exercises/{id}")] HttpRequest req, string id)
        => api.RunAsync<ExerciseInput>(req, async (caller, input) =>
            Versioned(await exercises.UpdateAsync(caller, id, req.RequiredIfMatch(), input, req.HttpContext.RequestAborted)));

    [Function(nameof(DryRunExercise))]
    [ApiDoc("Sends every inject at once to the controllers only, to check wording and links; nothing counts.", Response = typeof(Exercise), SuccessStatus = 202)]
    [ApiProblem(409, "The exercise has ended or names no controllers.")]
    public Task<IActionResult> DryRunExercise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exercises/{id}/dry-run")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Accepted($"/api/exercises/{id}", await exercises.DryRunAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(StartExercise))]
    [ApiDoc("Starts a draft exercise: each inject goes to its players at its offset from now.", Response = typeof(Exercise), SuccessStatus = 202)]
    [ApiProblem(409, "The exercise is not a draft.")]
    public Task<IActionResult> StartExercise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exercises/{id}/start")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Accepted($"/api/exercises/{id}", await exercises.StartAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(PauseExercise))]
    [ApiDoc("Holds a running exercise's timeline; the remaining injects move by the time it stays paused.", Response = typeof(Exercise), SuccessStatus = 202)]
    [ApiProblem(409, "The exercise is not running.")]
    public Task<IActionResult> PauseExercise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exercises/{id}/pause")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Accepted($"/api/exercises/{id}", await exercises.PauseAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(ResumeExercise))]
    [ApiDoc("Resumes a paused exercise's timeline.", Response = typeof(Exercise), SuccessStatus = 202)]
    [ApiProblem(409, "The exercise is not paused.")]
    public Task<IActionResult> ResumeExercise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exercises/{id}/resume")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Accepted($"/api/exercises/{id}", await exercises.ResumeAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(EndExercise))]
    [ApiDoc("Ends a running or paused exercise: no more injects, and no more answers.", Response = typeof(Exercise), SuccessStatus = 202)]
    [ApiProblem(409, "The exercise is not running or paused.")]
    public Task<IActionResult> EndExercise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exercises/{id}/end")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Accepted($"/api/exercises/{id}", await exercises.EndAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(AddExerciseObservation))]
    [ApiDoc("A controller's observation on a participant (one per participant; a new one replaces it).", Request = typeof(ObservationInput), Response = typeof(Observation), SuccessStatus = 201)]
    public Task<IActionResult> AddExerciseObservation([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exercises/{id}/observations")] HttpRequest req, string id)
        => api.RunAsync<ObservationInput>(req, async (caller, input) =>
        {
            var observation = await exercises.ObserveAsync(caller, id, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/exercises/{id}/report", observation);
        });

    [Function(nameof(GetExerciseReport))]
    [ApiDoc("The after-action report as JSON or CSV: per inject and participant, per participant, with the observations.", Response = typeof(ExerciseReport), Csv = true)]
    [ApiQuery("format", typeof(string), Values = ["json", "csv"])]
    public Task<IActionResult> GetExerciseReport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "exercises/{id}/report")] HttpRequest req, string id)
        => api.RunAsync(req, async caller =>
        {
            var csv = (req.String("format", 10) ?? "json") switch
            {
                "json" => false,
                "csv" => true,
                _ => throw RequestValidationException.For("format", "Must be csv or json."),
            };
            var report = await exercises.ReportAsync(caller, id, req.HttpContext.RequestAborted);
            return csv
                ? ApiResult.Text(ExerciseService.ToCsv(report), "text/csv; charset=utf-8").WithHeader("Content-Disposition", $"attachment; filename=\"exercise-{report.ExerciseId}.csv\"")
                : ApiResult.Ok(report);
        });

    /// <summary>Public: the link of an inject. The token shows that inject for that player, nothing else.</summary>
    [Function(nameof(GetExerciseResponse))]
    [ApiDoc("What an inject link opens: the inject and the player's own answer.", Response = typeof(ExerciseResponseView), Anonymous = true)]
    [ApiProblem(410, "The link has expired.")]
    public Task<IActionResult> GetExerciseResponse([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "exercise-responses/{token}")] HttpRequest req, string token)
        => api.RunAnonymousAsync(req, async () => ApiResult.Ok(await exercises.ResponseViewAsync(token, req.HttpContext.RequestAborted)), token);

    [Function(nameof(RespondToExercise))]
    [ApiDoc("Answers an inject with the token of its link: Acknowledge, or Reply with text and an optional choice.", Request = typeof(ExerciseResponseInput), Response = typeof(ExerciseResponseReceipt), Anonymous = true)]
    [ApiProblem(409, "This link already replied; the first reply stands.")]
    [ApiProblem(410, "The exercise has ended, the inject's time ran out, or the link has expired.")]
    public Task<IActionResult> RespondToExercise(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "exercise-responses/{token}")] HttpRequest req, string token, [DurableClient] DurableTaskClient durable)
        => api.RunAnonymousAsync<ExerciseResponseInput>(req, async input => ApiResult.Ok(await exercises.RespondAsync(token, input, durable, req.HttpContext.RequestAborted)));

    private static ApiResult Versioned(Versioned<Exercise> exercise) => ApiResult.Ok(exercise.Value).WithETag(exercise.ETag);
}
