// Every collection at once, as many as there are: the collections spend most of their time waiting on timers, mail
// and their own runners, not on this process's two cores, and xunit would otherwise run only ProcessorCount of them.
[assembly: CollectionBehavior(MaxParallelThreads = 16)]
