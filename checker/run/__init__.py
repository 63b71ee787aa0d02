"""The run: tasks over the inputs, facts, evaluation, findings, outcomes, waivers and fixes."""
