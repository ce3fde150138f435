from huey import RedisHuey


def test_it_reports_healthy_database_and_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "task_queue": True}


def test_it_answers_503_when_the_task_queue_is_unreachable(client, db, settings):
    # Nothing listens on port 1: the queue is configured but cannot be reached.
    settings.HUEY = RedisHuey("broken", url="redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["task_queue"] is False


def test_it_refuses_post_on_healthz(client, db):
    assert client.post("/healthz").status_code == 405
