def test_healthz_answers_when_database_tasks_and_cache_work(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "tasks": "ok", "cache": "ok"}


def test_home_page_renders_services_for_logged_in_staff(site, applicant_client):
    response = applicant_client.get("/")
    assert response.status_code == 200
    assert "Anna" in response.content.decode()
